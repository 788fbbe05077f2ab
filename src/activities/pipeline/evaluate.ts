/**
 * evaluateCandidate: offline metrics on the snapshot's test rows, fairness slices, the champion's
 * metrics on the same rows and the delta, a training-serving parity check, and a model card
 * written beside the artifact. Returns a small JSON object (numbers only) for workflow history.
 */
import { defaultPrimaryMetric } from '../../domain/metrics/direction';
import { computeMetrics, metricDelta, sliceReport, type Evaluation, type ParityReport } from '../../domain/metrics/evaluation';
import { buildModelCard, renderModelCardMarkdown } from '../../domain/model-card';
import { predictRow, type ModelBundle, type Row } from '../../domain/model/bundle';
import type { ModelSpec } from '../../domain/spec';
import { targets } from '../../domain/train/preprocessing';
import { trainingPathScores } from '../../domain/train/train-bundle';
import type { ArtifactStore } from '../../ports/artifact-store';
import { dataError, requireSpec } from './failures';
import { readSnapshot } from './snapshot-files';

export interface EvaluateDeps {
  dataDir: string;
  artifactStore: ArtifactStore;
}

export interface EvaluateInput {
  spec: ModelSpec;
  snapshotId: string;
  artifactId: string;
  championArtifactId?: string;
}

function scoreSet(spec: ModelSpec, bundle: ModelBundle, rows: Row[], y: number[], primaryMetric: string) {
  const scores = rows.map((r) => predictRow(bundle, r).score);
  const metrics = computeMetrics(spec.task, y, scores, bundle.threshold);
  const slices = spec.offline.slices.map((column) => sliceReport({
    task: spec.task, column, primaryMetric, groups: rows.map((r) => String(r[column])), targets: y, scores, threshold: bundle.threshold,
  }));
  return { scores, metrics, slices };
}

/** Training path (design matrix) vs serving path (predictRow) on the same raw rows. */
function parity(bundle: ModelBundle, rows: Row[], servingScores: number[], tolerance: number): ParityReport {
  const training = trainingPathScores(bundle, rows);
  const maxAbsDiff = training.reduce((m, s, i) => Math.max(m, Math.abs(s - servingScores[i])), 0);
  return { rows: rows.length, maxAbsDiff, tolerance, pass: maxAbsDiff <= tolerance };
}

export function createEvaluateCandidate(deps: EvaluateDeps) {
  return async function evaluateCandidate(input: EvaluateInput): Promise<Evaluation> {
    const spec = requireSpec(input.spec);
    const { manifest, test } = await readSnapshot(deps.dataDir, input.snapshotId);
    spec.offline.slices.forEach((c, i) => {
      if (!manifest.columns.includes(c)) throw dataError(`offline.slices.${i}: column "${c}" is not in snapshot ${input.snapshotId} (columns: ${manifest.columns.join(', ')})`);
    });
    const primaryMetric = spec.offline.primaryMetric ?? defaultPrimaryMetric(spec.task);
    const y = targets(test, spec.data.label, spec.task, spec.data.positiveLabel);
    const bundle = await deps.artifactStore.get(input.artifactId);
    const candidate = scoreSet(spec, bundle, test, y, primaryMetric);
    const evaluation: Evaluation = {
      snapshotId: input.snapshotId, artifactId: input.artifactId, task: spec.task, primaryMetric, testRows: test.length,
      metrics: candidate.metrics, slices: candidate.slices, parity: parity(bundle, test, candidate.scores, spec.offline.parityTolerance),
    };
    if (input.championArtifactId) {
      const champ = scoreSet(spec, await deps.artifactStore.get(input.championArtifactId), test, y, primaryMetric);
      evaluation.champion = { artifactId: input.championArtifactId, metrics: champ.metrics, slices: champ.slices };
      evaluation.delta = metricDelta(candidate.metrics, champ.metrics);
    }
    evaluation.modelCard = await writeModelCard(deps.artifactStore, spec, evaluation, manifest);
    return evaluation;
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
