import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseModelSpec } from '../../../src/domain/spec';
import { judgeOffline } from '../../../src/domain/offline-gate';
import { pipelineHarness } from './fixtures';

const examples = path.resolve(__dirname, '../../../examples');
const load = (name: string) => {
  const r = parseModelSpec(parse(readFileSync(path.join(examples, name, 'model.yaml'), 'utf8')));
  if (!r.ok) throw new Error(`${name}/model.yaml: ${r.problems.join('; ')}`);
  return r.spec;
};

describe('example model specs', () => {
  it('parses the credit-risk spec with the canary, PII and fairness settings the demo needs', () => {
    const spec = load('credit-risk');
    expect(spec).toMatchObject({ id: 'credit-risk', riskClass: 'medium', data: { source: { kind: 'synthetic-credit' } }, offline: { slices: ['gender'] } });
    expect(spec.data.pii).toEqual([{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }]);
    expect(spec.strategy).toMatchObject({ kind: 'canary', steps: [10, 50, 100], stepBake: '5s' });
  });

  it('parses the iris spec as a low-risk model', () => {
    expect(load('iris')).toMatchObject({ id: 'iris', riskClass: 'low', data: { source: { kind: 'iris' } } });
  });

  it.each(['credit-risk', 'iris'])('passes its own offline gate end to end for the %s example', async (name) => {
    const spec = load(name);
    const h = pipelineHarness(`example-${name}`);
    try {
      const snap = await h.activities.snapshotDataset({ spec, specDir: path.join(examples, name) });
      const art = await h.activities.trainModel({ spec, snapshotId: snap.snapshotId, codeVersion: 'example' });
      const ev = await h.activities.evaluateCandidate({ spec, snapshotId: snap.snapshotId, artifactId: art.artifactId });
      expect(judgeOffline(ev, spec.offline)).toEqual({ pass: true, reasons: [] });
    } finally {
      h.close();
    }
  });
});
