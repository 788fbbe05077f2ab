/**
 * ONNX models from a real Python trainer (the scikit-learn example) through the real pipeline
 * activities: snapshot, training in Python, the artifact with its model.onnx, evaluation through
 * onnxruntime-node with the trainer-vs-runtime parity check, and every bad output refused as a
 * non-retryable TrainerFailed before anything is stored. Real files, real SQLite, real processes.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ArtifactRef } from '../../../src/activities/pipeline';
import { judgeOffline } from '../../../src/domain/offline-gate';
import type { ModelSpec } from '../../../src/domain/spec';
import { creditSpec, pipelineHarness } from './fixtures';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const PYTHON = path.join(ROOT, '.cache/python/bin/python');
const SKLEARN_DIR = path.join(ROOT, 'examples/sklearn-credit');
const VARIANTS = path.join(ROOT, 'test/fixtures/trainers/onnx-variants.py');

function onnxSpec(params: Record<string, unknown> = {}): ModelSpec {
  return creditSpec({ trainer: { kind: 'external', command: [PYTHON, 'train.py'], params: { nEstimators: 100, ...params }, seed: 7, timeout: '5m' } }, 1500);
}

const variantSpec = (variant: string) => creditSpec({ trainer: { kind: 'external', command: [PYTHON, VARIANTS], params: { nEstimators: 20, variant }, seed: 7, timeout: '5m' } }, 800);

describe('ONNX models from an external Python trainer', () => {
  const h = pipelineHarness('onnx');
  afterAll(() => h.close());

  it('stores model.onnx with its manifest, serves it through onnxruntime in the evaluation, and passes parity with scikit-learn', async () => {
    const spec = onnxSpec();
    const { snapshotId } = await h.activities.snapshotDataset({ spec, specDir: SKLEARN_DIR });
    const art = (await h.activities.trainModel({ spec, snapshotId, codeVersion: 'v1', specDir: SKLEARN_DIR })) as ArtifactRef;
    expect(art).toMatchObject({ trainer: 'external', algorithm: 'sklearn-gradient-boosting' });
    const files = readdirSync(h.artifactStore.location(art.artifactId)).sort();
    expect(files).toEqual(expect.arrayContaining(['bundle.json', 'manifest.json', 'model.onnx', 'train.log', 'trainer-test-predictions.jsonl']));
    const bundle = await h.artifactStore.get(art.artifactId);
    expect(bundle).toMatchObject({ format: 'onnx/v1', producer: { framework: 'scikit-learn', converter: 'skl2onnx', opset: 17 } });
    const ev = await h.activities.evaluateCandidate({ spec, snapshotId, artifactId: art.artifactId });
    expect(ev.metrics.auc).toBeGreaterThan(0.7);
    expect(ev.parity).toMatchObject({ kind: 'trainer-vs-onnxruntime', rows: ev.testRows, pass: true, mismatches: 0, labelMismatches: 0, tolerance: 1e-4 });
    expect(ev.parity.maxAbsDiff).toBeLessThan(1e-4);
    expect(ev.serving).toMatchObject({ format: 'onnx/v1', producer: { framework: 'scikit-learn', frameworkVersion: '1.6.1', opset: 17 } });
    expect(ev.serving?.modelBytes).toBe(bundle.format === 'onnx/v1' ? bundle.model.bytes : -1);
    expect(ev.serving?.perRowLatencyUs).toBeGreaterThan(0);
    expect(judgeOffline(ev, spec.offline).pass).toBe(true);
  });

  it('gives the same artifact id when the same spec is trained again from a fresh store', async () => {
    const other = pipelineHarness('onnx-again');
    try {
      const spec = onnxSpec();
      const ids = [];
      for (const p of [h, other]) {
        const { snapshotId } = await p.activities.snapshotDataset({ spec, specDir: SKLEARN_DIR });
        ids.push(((await p.activities.trainModel({ spec, snapshotId, codeVersion: 'v1', specDir: SKLEARN_DIR })) as ArtifactRef).artifactId);
      }
      expect(ids[1]).toBe(ids[0]);
    } finally {
      other.close();
    }
  });

  it('fails the parity check with the count, the largest difference and the first rows when the predictions come from another model', async () => {
    const spec = variantSpec('other-model');
    const { snapshotId } = await h.activities.snapshotDataset({ spec, specDir: SKLEARN_DIR });
    const art = (await h.activities.trainModel({ spec, snapshotId, codeVersion: 'v1', specDir: SKLEARN_DIR })) as ArtifactRef;
    const ev = await h.activities.evaluateCandidate({ spec, snapshotId, artifactId: art.artifactId });
    expect(ev.parity.pass).toBe(false);
    expect(ev.parity.mismatches).toBeGreaterThan(0);
    expect(ev.parity.maxAbsDiff).toBeGreaterThan(1e-4);
    expect(ev.parity.firstDiffs).toHaveLength(5);
    expect(judgeOffline(ev, spec.offline).reasons.join(' ')).toMatch(/^parity: /);
  });

  const refusals: Array<[string, RegExp]> = [
    ['truncated-model', /onnxruntime cannot load model\.onnx/],
    ['inputs-mismatch', /inputs \[.*\] do not match the manifest's inputs \[age_years/],
    ['missing-output', /names output probability_tensor, which the model does not have/],
    ['wrong-row-count', /test-predictions\.jsonl has \d+ rows; test\.jsonl has \d+/],
    ['nan-scores', /test-predictions\.jsonl line 5: not JSON \(a NaN or infinite score\)/],
  ];
  it.each(refusals)('refuses a trainer output with %s as a non-retryable TrainerFailed and stores nothing', async (variant, message) => {
    const spec = variantSpec(variant);
    const { snapshotId } = await h.activities.snapshotDataset({ spec, specDir: SKLEARN_DIR });
    const before = readdirSync(path.join(h.dataDir, 'artifacts')).filter((f) => !f.startsWith('.'));
    const err = await h.activities.trainModel({ spec, snapshotId, codeVersion: 'v1', specDir: SKLEARN_DIR }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'TrainerFailed', nonRetryable: true, message: expect.stringMatching(message) });
    expect(readdirSync(path.join(h.dataDir, 'artifacts')).filter((f) => !f.startsWith('.'))).toEqual(before);
  });

  it('refuses a model over the size limit before loading it', async () => {
    const small = pipelineHarness('onnx-limit', { maxModelBytes: 10_000 });
    try {
      const spec = variantSpec('none');
      const { snapshotId } = await small.activities.snapshotDataset({ spec, specDir: SKLEARN_DIR });
      const err = await small.activities.trainModel({ spec, snapshotId, codeVersion: 'v1', specDir: SKLEARN_DIR }).catch((e: unknown) => e);
      expect(err).toMatchObject({ type: 'TrainerFailed', nonRetryable: true, message: expect.stringMatching(/model\.onnx is \d+ bytes, over the limit of 10000 \(raise MLGATE_MAX_MODEL_MB/) });
      expect(existsSync(path.join(small.dataDir, 'artifacts')) ? readdirSync(path.join(small.dataDir, 'artifacts')).filter((f) => !f.startsWith('.')) : []).toEqual([]);
    } finally {
      small.close();
    }
  });
});
