/**
 * The model card: a pure renderer from spec, lineage and evaluation to markdown and JSON.
 * Written next to the artifact by the evaluation activity, linked from the registry version.
 */
import type { Evaluation } from './metrics/evaluation';
import type { ModelSpec } from './spec';

export interface ModelCardInput {
  spec: ModelSpec;
  evaluation: Evaluation;
  snapshot: { id: string; sha256: string; trainRows: number; testRows: number; split: string };
  artifact: { id: string; trainer: string; algorithm: string; params: Record<string, unknown>; seed: number };
}

export interface ModelCard {
  model: string;
  owner: string;
  riskClass: string;
  task: string;
  intendedUse: string;
  limitations: string[];
  snapshot: ModelCardInput['snapshot'];
  artifact: ModelCardInput['artifact'];
  primaryMetric: string;
  metrics: Record<string, number>;
  champion?: { artifactId: string; metrics: Record<string, number>; delta: Record<string, number> };
  slices: Evaluation['slices'];
  parity: Evaluation['parity'];
  /** Format, producing framework and converter, model size, per-row latency at evaluation. */
  serving?: Evaluation['serving'];
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function limitations(input: ModelCardInput): string[] {
  const out = input.spec.limitations ? [input.spec.limitations] : [];
  out.push(`Evaluated on ${input.snapshot.testRows} held-out rows from snapshot ${input.snapshot.id} (${input.snapshot.split} split); performance on other populations is unknown.`);
  for (const s of input.evaluation.slices) {
    if (s.worst !== null) out.push(`Weakest "${s.column}" slice: ${s.worst} (gap ${fmt(s.gap)} on ${input.evaluation.primaryMetric}).`);
  }
  return out;
}

export function buildModelCard(input: ModelCardInput): ModelCard {
  const { spec, evaluation } = input;
  return {
    model: spec.id, owner: spec.owner, riskClass: spec.riskClass, task: spec.task,
    intendedUse: spec.intendedUse || spec.description || 'not stated in the spec',
    limitations: limitations(input), snapshot: input.snapshot, artifact: input.artifact,
    primaryMetric: evaluation.primaryMetric, metrics: evaluation.metrics,
    ...(evaluation.champion ? { champion: { artifactId: evaluation.champion.artifactId, metrics: evaluation.champion.metrics, delta: evaluation.delta ?? {} } } : {}),
    slices: evaluation.slices, parity: evaluation.parity, ...(evaluation.serving ? { serving: evaluation.serving } : {}),
  };
}

function metricsTable(card: ModelCard): string[] {
  const champ = card.champion;
  const head = champ ? ['| metric | candidate | champion | delta |', '|---|---|---|---|'] : ['| metric | value |', '|---|---|'];
  const rows = Object.entries(card.metrics).map(([k, v]) => (champ
    ? `| ${k} | ${fmt(v)} | ${champ.metrics[k] !== undefined ? fmt(champ.metrics[k]) : '-'} | ${champ.delta[k] !== undefined ? fmt(champ.delta[k]) : '-'} |`
    : `| ${k} | ${fmt(v)} |`));
  return [...head, ...rows];
}

function servingLines(card: ModelCard): string[] {
  const s = card.serving;
  if (!s) return [];
  const p = s.producer;
  return [
    `- Format: ${s.format}`,
    ...(p ? [`- Produced by: ${p.framework} ${p.frameworkVersion}${p.converter ? `, converted by ${p.converter} ${p.converterVersion ?? ''}`.trimEnd() : ''} (ONNX opset ${p.opset})${p.python ? `, Python ${p.python}` : ''}`] : []),
    ...(s.modelBytes !== undefined ? [`- Model size: ${s.modelBytes} bytes`] : []),
    `- Per-row latency at evaluation: ${s.perRowLatencyUs} µs (median of single-row calls through the serving runtime)`,
  ];
}

function sliceLines(card: ModelCard): string[] {
  if (card.slices.length === 0) return ['No slices configured (`offline.slices`).'];
  return card.slices.flatMap((s) => [
    `### ${s.column} (gap ${fmt(s.gap)}, worst: ${s.worst ?? 'n/a'})`, '', `| value | rows | ${card.primaryMetric} |`, '|---|---|---|',
    ...s.values.map((v) => `| ${v.value} | ${v.rows} | ${v.primary === null ? 'n/a' : fmt(v.primary)} |`), '',
  ]);
}

export function renderModelCardMarkdown(card: ModelCard): string {
  const a = card.artifact;
  return [
    `# Model card: ${card.model}`, '',
    `- Owner: ${card.owner}`, `- Risk class: ${card.riskClass}`, `- Task: ${card.task}`, '',
    '## Intended use', '', card.intendedUse, '',
    '## Data snapshot', '', `- Snapshot: ${card.snapshot.id} (sha256 ${card.snapshot.sha256})`,
    `- Split: ${card.snapshot.split}; ${card.snapshot.trainRows} train rows, ${card.snapshot.testRows} test rows`, '',
    '## Model', '', `- Artifact: ${a.id}`, `- Trainer: ${a.trainer} (${a.algorithm}), seed ${a.seed}`, `- Params: \`${JSON.stringify(a.params)}\``, ...servingLines(card), '',
    `## Metrics (primary: ${card.primaryMetric})`, '', ...metricsTable(card), '',
    '## Slices', '', ...sliceLines(card),
    '## Training-serving parity', '', `Max abs difference ${card.parity.maxAbsDiff} over ${card.parity.rows} rows (tolerance ${card.parity.tolerance}): ${card.parity.pass ? 'pass' : 'FAIL'}.`, '',
    '## Limitations', '', ...card.limitations.map((l) => `- ${l}`), '',
  ].join('\n');
}
