import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readScoreReference } from '../../../src/activities/score-reference-file';
import { SCORE_REFERENCE_FILE } from '../../../src/domain/drift';
import { judgeOffline } from '../../../src/domain/offline-gate';
import { ModelBundleSchema } from '../../../src/domain/model/bundle';
import { creditSpec, pipelineHarness } from './fixtures';

async function trainOnce(codeVersion = 'test-sha') {
  const h = pipelineHarness('train');
  const spec = creditSpec();
  const snap = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
  const art = await h.activities.trainModel({ spec, snapshotId: snap.snapshotId, codeVersion });
  return { h, spec, snap, art };
}

describe('trainModel and evaluateCandidate', () => {
  it('produces the same artifact id in two separate runs with fresh stores', async () => {
    const a = await trainOnce();
    const b = await trainOnce();
    try {
      expect(b.snap.snapshotId).toBe(a.snap.snapshotId);
      expect(b.art.artifactId).toBe(a.art.artifactId);
      expect(a.art.artifactId).toMatch(/^art-[0-9a-f]{16}$/);
      expect(a.art).toMatchObject({ trainer: 'builtin', algorithm: 'logistic-regression', seed: 7, codeVersion: 'test-sha', reused: false, snapshotId: a.snap.snapshotId });
      expect(readFileSync(path.join(a.h.artifactStore.location(a.art.artifactId), 'bundle.json'), 'utf8'))
        .toBe(readFileSync(path.join(b.h.artifactStore.location(b.art.artifactId), 'bundle.json'), 'utf8'));
    } finally {
      a.h.close();
      b.h.close();
    }
  });

  it('stores the bundle, a lineage manifest and the training log in the artifact folder, and reuses it on retrain', async () => {
    const { h, spec, snap, art } = await trainOnce();
    try {
      const dir = h.artifactStore.location(art.artifactId);
      expect(ModelBundleSchema.parse(JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8'))).features).toHaveLength(6);
      expect(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).lineage).toEqual({
        model: 'credit-risk', snapshotId: snap.snapshotId, trainer: 'builtin', algorithm: 'logistic-regression',
        params: {}, seed: 7, codeVersion: 'test-sha',
      });
      expect(readFileSync(path.join(dir, 'train.log'), 'utf8')).toMatch(/epoch 300 loss/);
      const again = await h.activities.trainModel({ spec, snapshotId: snap.snapshotId, codeVersion: 'test-sha' });
      expect(again).toEqual({ ...art, reused: true });
    } finally {
      h.close();
    }
  });

  it('reports sane metrics, gender slices, passing parity and writes a model card', async () => {
    const { h, spec, snap, art } = await trainOnce();
    try {
      const ev = await h.activities.evaluateCandidate({ spec, snapshotId: snap.snapshotId, artifactId: art.artifactId });
      expect(ev.metrics.auc).toBeGreaterThan(0.7);
      expect(ev.metrics.auc).toBeLessThan(1);
      expect(ev.metrics.accuracy).toBeGreaterThan(0.6);
      expect(ev.metrics.log_loss).toBeGreaterThan(0);
      expect(ev.testRows).toBe(snap.testRows);
      expect(ev.slices[0].values.map((v) => v.value)).toEqual(['female', 'male']);
      expect(ev.parity.pass).toBe(true);
      expect(ev.parity.maxAbsDiff).toBeLessThanOrEqual(1e-9);
      expect(JSON.parse(JSON.stringify(ev))).toEqual(ev); // plain JSON for workflow history
      const card = readFileSync(ev.modelCard?.markdownPath as string, 'utf8');
      expect(card).toContain('# Model card: credit-risk');
      expect(card).toContain(snap.snapshotId);
      expect(card).toContain('### gender');
      expect(existsSync(ev.modelCard?.jsonPath as string)).toBe(true);
      expect(judgeOffline(ev, spec.offline).pass).toBe(true);
    } finally {
      h.close();
    }
  });

  it('keeps the served test-set scores beside the artifact: the same file in two runs, written once, an invalid one replaced', async () => {
    const a = await trainOnce();
    const b = await trainOnce();
    try {
      for (const r of [a, b]) await r.h.activities.evaluateCandidate({ spec: r.spec, snapshotId: r.snap.snapshotId, artifactId: r.art.artifactId });
      const file = (r: typeof a) => path.join(r.h.artifactStore.location(r.art.artifactId), SCORE_REFERENCE_FILE);
      expect(b.art.artifactId).toBe(a.art.artifactId);
      expect(readFileSync(file(b), 'utf8')).toBe(readFileSync(file(a), 'utf8'));
      const read = await readScoreReference(a.h.artifactStore, a.art.artifactId);
      expect(read).toMatchObject({ status: 'found', reference: { artifactId: a.art.artifactId, snapshotId: a.snap.snapshotId, source: 'test-set', scores: { count: a.snap.testRows } } });
      // Written once: a later evaluation leaves a valid reference alone, and replaces an invalid one.
      const kept = JSON.stringify({ ...JSON.parse(readFileSync(file(a), 'utf8')), snapshotId: 'snap-earlier' });
      writeFileSync(file(a), kept);
      await a.h.activities.evaluateCandidate({ spec: a.spec, snapshotId: a.snap.snapshotId, artifactId: a.art.artifactId });
      expect(readFileSync(file(a), 'utf8')).toBe(kept);
      writeFileSync(file(a), '{"scores": []}');
      expect(await readScoreReference(a.h.artifactStore, a.art.artifactId)).toMatchObject({ status: 'invalid', reason: expect.stringContaining(SCORE_REFERENCE_FILE) });
      await a.h.activities.evaluateCandidate({ spec: a.spec, snapshotId: a.snap.snapshotId, artifactId: a.art.artifactId });
      expect(readFileSync(file(a), 'utf8')).toBe(readFileSync(file(b), 'utf8'));
    } finally {
      a.h.close();
      b.h.close();
    }
  });

  it('compares with the champion on the same test rows and rejects a bad threshold at the offline gate', async () => {
    const { h, spec, snap, art } = await trainOnce();
    try {
      const weakSpec = creditSpec({ trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 1, learningRate: 0.001 }, seed: 7 } });
      const weak = await h.activities.trainModel({ spec: weakSpec, snapshotId: snap.snapshotId, codeVersion: 'test-sha' });
      const ev = await h.activities.evaluateCandidate({ spec, snapshotId: snap.snapshotId, artifactId: weak.artifactId, championArtifactId: art.artifactId });
      expect(ev.champion?.artifactId).toBe(art.artifactId);
      expect(ev.delta?.auc).toBeCloseTo(ev.metrics.auc - (ev.champion?.metrics.auc as number), 12);
      const strict = { ...spec.offline, thresholds: [{ metric: 'auc', op: '>=' as const, value: 0.99 }] };
      const verdict = judgeOffline(ev, strict);
      expect(verdict.pass).toBe(false);
      expect(verdict.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^threshold auc >= 0.99: got/)]));
    } finally {
      h.close();
    }
  });

  it('fails with NotFound for an unknown snapshot', async () => {
    const h = pipelineHarness('train-missing');
    try {
      await expect(h.activities.trainModel({ spec: creditSpec(), snapshotId: 'snap-0000000000000000', codeVersion: 'x' })).rejects.toMatchObject({ type: 'NotFound', nonRetryable: true });
    } finally {
      h.close();
    }
  });
});
