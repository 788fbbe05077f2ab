import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelledRowsPath } from '../../../src/activities/pipeline/feedback-rows';
import { creditSpec, pipelineHarness } from './fixtures';

const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('labels from production reach the next snapshot', () => {
  const h = pipelineHarness('snap-feedback');
  afterAll(() => h.close());

  it('adds labelled production rows to the training split only, keeping just features and label, and gives a new snapshot id', async () => {
    const spec = creditSpec();
    const before = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
    const file = labelledRowsPath(h.dataDir, spec.id);
    mkdirSync(path.dirname(file), { recursive: true });
    const labelled = [
      { age: 41, income: 52000, debt_ratio: 0.3, credit_lines: 4, late_payments: 0, region: 'north', default: 0, prediction_id: 'p-1', email: 'leak@example.com' },
      { age: 29, income: 18000, debt_ratio: 0.9, credit_lines: 1, late_payments: 5, region: 'south', default: 1, prediction_id: 'p-2' },
    ];
    writeFileSync(file, labelled.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const after = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
    expect(after.snapshotId).not.toBe(before.snapshotId);
    expect(after.trainRows).toBe(before.trainRows + 2);
    expect(after.testRows).toBe(before.testRows);
    const train = readJsonl(path.join(after.path, 'train.jsonl'));
    const fromFeedback = train.filter((r) => r.applied_at === undefined);
    expect(fromFeedback).toHaveLength(2);
    for (const r of fromFeedback) expect(Object.keys(r).sort()).toEqual([...spec.data.features, spec.data.label].sort());
    expect(readFileSync(path.join(after.path, 'test.jsonl'), 'utf8')).toBe(readFileSync(path.join(before.path, 'test.jsonl'), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(after.path, 'manifest.json'), 'utf8')).feedbackRows).toBe(2);
  });
});
