/**
 * evaluateCandidate: offline metrics on the snapshot's test rows, fairness slices, the champion's
 * metrics on the same rows and the delta, a training-serving parity check, and a model card
 * written beside the artifact, as is the test-set score distribution the monitor judges prediction
 * drift against. Returns a small JSON object (numbers only) for workflow history.
 */
import { scoreReference } from '../../domain/drift/score-reference';
import { defaultPrimaryMetric } from '../../domain/metrics/direction';
import { computeMetrics, metricDelta, sliceReport, type Evaluation, type ParityReport, type ServingFacts } from '../../domain/metrics/evaluation';
import { buildModelCard, renderModelCardMarkdown } from '../../domain/model-card';
import { MODEL_FILE, parityToleranceFor, type ArtifactBundle } from '../../domain/model/artifact-bundle';
import type { Row } from '../../domain/model/bundle';
import { compareWithTrainer, type TrainerPrediction } from '../../domain/model/parity';
import type { ModelSpec } from '../../domain/spec';
import { targets } from '../../domain/train/preprocessing';
import { trainingPathScores } from '../../domain/train/train-bundle';
import type { ArtifactStore } from '../../ports/artifact-store';
import type { ModelRuntime, ModelRuntimeFactory } from '../../ports/model-runtime';
import { writeScoreReferenceOnce } from '../score-reference-file';
import { dataError, requireSpec, trainerFailed } from './failures';
import { readSnapshot } from './snapshot-files';

/** What an external ONNX trainer's own predictions on test.jsonl are kept as, beside the artifact. */
export const TRAINER_PREDICTIONS_FILE = 'trainer-test-predictions.jsonl';
/** Rows scored one at a time to measure the per-row serving latency for the model card. */
const LATENCY_ROWS = 200;
const BATCH = 512;

export interface EvaluateDeps {
  dataDir: string;
  artifactStore: ArtifactStore;
  /** The runtime the gateway serves with: scoring through it gives parity with serving by construction. */
  createRuntime: ModelRuntimeFactory;
}

export interface EvaluateInput {
  spec: ModelSpec;
  snapshotId: string;
  artifactId: string;
  championArtifactId?: string;
}

async function scores(runtime: ModelRuntime, rows: Row[]) {
  const out = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(...(await runtime.predict(rows.slice(i, i + BATCH))));
  return out;
}

async function scoreSet(spec: ModelSpec, runtime: ModelRuntime, threshold: number, rows: Row[], y: number[], primaryMetric: string) {
  const predictions = await scores(runtime, rows);
  const s = predictions.map((p) => p.score);
  const metrics = computeMetrics(spec.task, y, s, threshold);
  const slices = spec.offline.slices.map((column) => sliceReport({
    task: spec.task, column, primaryMetric, groups: rows.map((r) => String(r[column])), targets: y, scores: s, threshold,
  }));
  return { predictions, scores: s, metrics, slices };
}

/** Per-row latency through the serving runtime, one row per call (what a batch-1 request costs the gateway). */
async function perRowLatencyUs(runtime: ModelRuntime, rows: Row[]): Promise<number> {
  const sample = rows.slice(0, LATENCY_ROWS);
  const times: number[] = [];
  for (const r of sample) {
    const t0 = performance.now();
    await runtime.predict([r]);
    times.push((performance.now() - t0) * 1000);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

/** The built-in format: training path (design matrix) vs serving path on the same raw rows. */
function linearParity(bundle: ArtifactBundle & { format: 'mlgate-linear/v1' }, rows: Row[], servingScores: number[], tolerance: number): ParityReport {
  const training = trainingPathScores(bundle, rows);
  const maxAbsDiff = training.reduce((m, s, i) => Math.max(m, Math.abs(s - servingScores[i])), 0);
  return { kind: 'training-vs-serving', rows: rows.length, maxAbsDiff, tolerance, pass: maxAbsDiff <= tolerance };
}

async function trainerPredictions(store: ArtifactStore, artifactId: string): Promise<TrainerPrediction[]> {
  const text = (await store.readFile(artifactId, TRAINER_PREDICTIONS_FILE)).toString('utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as TrainerPrediction);
}

async function parityOf(deps: EvaluateDeps, bundle: ArtifactBundle, artifactId: string, rows: Row[], served: Awaited<ReturnType<typeof scoreSet>>, tolerance: number) {
  if (bundle.format === 'mlgate-linear/v1') return linearParity(bundle, rows, served.scores, tolerance);
  const trainer = await trainerPredictions(deps.artifactStore, artifactId);
  if (trainer.length !== rows.length) throw trainerFailed(`${TRAINER_PREDICTIONS_FILE} has ${trainer.length} rows for ${rows.length} test rows`);
  return compareWithTrainer(trainer, served.predictions, tolerance);
}

async function servingFacts(deps: EvaluateDeps, bundle: ArtifactBundle, artifactId: string, runtime: ModelRuntime, rows: Row[]): Promise<ServingFacts> {
  const latencyUs = await perRowLatencyUs(runtime, rows);
  if (bundle.format === 'mlgate-linear/v1') return { format: bundle.format, perRowLatencyUs: latencyUs };
  const size = (await deps.artifactStore.readFile(artifactId, MODEL_FILE)).length;
  return { format: bundle.format, perRowLatencyUs: latencyUs, modelBytes: size, producer: bundle.producer };
}

export function createEvaluateCandidate(deps: EvaluateDeps) {
  const open = async (artifactId: string) => {
    const bundle = await deps.artifactStore.get(artifactId);
    return { bundle, runtime: await deps.createRuntime(bundle, () => deps.artifactStore.readFile(artifactId, MODEL_FILE)) };
  };
  return async function evaluateCandidate(input: EvaluateInput): Promise<Evaluation> {
    const spec = requireSpec(input.spec);
    const { manifest, test } = await readSnapshot(deps.dataDir, input.snapshotId);
    spec.offline.slices.forEach((c, i) => {
      if (!manifest.columns.includes(c)) throw dataError(`offline.slices.${i}: column "${c}" is not in snapshot ${input.snapshotId} (columns: ${manifest.columns.join(', ')})`);
    });
    const primaryMetric = spec.offline.primaryMetric ?? defaultPrimaryMetric(spec.task);
    const y = targets(test, spec.data.label, spec.task, spec.data.positiveLabel);
    const { bundle, runtime } = await open(input.artifactId);
    try {
      const candidate = await scoreSet(spec, runtime, bundle.threshold, test, y, primaryMetric);
      const reference = scoreReference({ artifactId: input.artifactId, snapshotId: input.snapshotId, scores: candidate.scores });
      if (reference) await writeScoreReferenceOnce(deps.artifactStore, reference);
      const evaluation: Evaluation = {
        snapshotId: input.snapshotId, artifactId: input.artifactId, task: spec.task, primaryMetric, testRows: test.length,
        metrics: candidate.metrics, slices: candidate.slices,
        parity: await parityOf(deps, bundle, input.artifactId, test, candidate, parityToleranceFor(bundle, spec.offline.parityTolerance)),
        serving: await servingFacts(deps, bundle, input.artifactId, runtime, test),
      };
      if (input.championArtifactId) {
        const champ = await open(input.championArtifactId);
        try {
          const c = await scoreSet(spec, champ.runtime, champ.bundle.threshold, test, y, primaryMetric);
          evaluation.champion = { artifactId: input.championArtifactId, metrics: c.metrics, slices: c.slices };
          evaluation.delta = metricDelta(candidate.metrics, c.metrics);
        } finally {
          await champ.runtime.close();
        }
      }
      evaluation.modelCard = await writeModelCard(deps.artifactStore, spec, evaluation, manifest);
      return evaluation;
    } finally {
      await runtime.close();
    }
  };
}

async function writeModelCard(store: ArtifactStore, spec: ModelSpec, evaluation: Evaluation, manifest: Awaited<ReturnType<typeof readSnapshot>>['manifest']) {
  const art = await store.manifest(evaluation.artifactId);
  const card = buildModelCard({
    spec, evaluation,
    snapshot: { id: manifest.snapshotId, sha256: manifest.sha256, trainRows: manifest.trainRows, testRows: manifest.testRows, split: manifest.split.kind },
    artifact: { id: art.artifactId, trainer: art.lineage.trainer, algorithm: art.lineage.algorithm, params: art.lineage.params, seed: art.lineage.seed },
  });
  const markdownPath = await store.attach({ artifactId: evaluation.artifactId, name: 'model-card.md', content: renderModelCardMarkdown(card) });
  const jsonPath = await store.attach({ artifactId: evaluation.artifactId, name: 'model-card.json', content: JSON.stringify(card, null, 2) });
  return { markdownPath, jsonPath };
}
