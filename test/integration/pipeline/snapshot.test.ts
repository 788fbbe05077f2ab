import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { creditSpec, PII_SALT, pipelineHarness, tempDir } from './fixtures';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';

const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('snapshotDataset', () => {
  const h = pipelineHarness('snap');
  afterAll(() => h.close());

  it('returns the same id twice and reuses the snapshot the second time without rewriting it', async () => {
    const spec = creditSpec();
    const first = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
    const manifestFile = path.join(first.path, 'manifest.json');
    const mtime = statSync(manifestFile).mtimeMs;
    const second = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
    expect(first.snapshotId).toMatch(/^snap-[0-9a-f]{16}$/);
    expect(first.reused).toBe(false);
    expect(second).toEqual({ ...first, reused: true });
    expect(statSync(manifestFile).mtimeMs).toBe(mtime);
    expect(first.sha256.startsWith(first.snapshotId.slice(5))).toBe(true);
    expect(readdirSync(path.join(h.dataDir, 'snapshots')).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('splits by time so that no training row is newer than any test row', async () => {
    const ref = await h.activities.snapshotDataset({ spec: creditSpec(), specDir: h.dataDir });
    const train = readJsonl(path.join(ref.path, 'train.jsonl'));
    const test = readJsonl(path.join(ref.path, 'test.jsonl'));
    expect(train).toHaveLength(1200);
    expect(test).toHaveLength(300);
    const newestTrain = Math.max(...train.map((r) => Date.parse(r.applied_at as string)));
    const oldestTest = Math.min(...test.map((r) => Date.parse(r.applied_at as string)));
    expect(newestTrain).toBeLessThanOrEqual(oldestTest);
    const manifest = JSON.parse(readFileSync(path.join(ref.path, 'manifest.json'), 'utf8'));
    expect(Date.parse(manifest.boundary.trainMax)).toBe(newestTrain);
    expect(Date.parse(manifest.boundary.testMin)).toBe(oldestTest);
  });

  it('drops the name column and replaces email with its HMAC-SHA256 under the configured salt', async () => {
    const ref = await h.activities.snapshotDataset({ spec: creditSpec(), specDir: h.dataDir });
    const rows = [...readJsonl(path.join(ref.path, 'train.jsonl')), ...readJsonl(path.join(ref.path, 'test.jsonl'))];
    expect(rows.some((r) => 'name' in r)).toBe(false);
    const originalEmails = new Set(generateSyntheticCredit({ rows: 1500, seed: 1 }).map((r) => createHmac('sha256', PII_SALT).update(r.email).digest('hex')));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.email as string) && originalEmails.has(r.email as string))).toBe(true);
    expect(readFileSync(path.join(ref.path, 'train.jsonl'), 'utf8')).not.toContain('@example.com');
  });

  it('records reference statistics with ten bins per numeric feature and frequencies per category', async () => {
    const ref = await h.activities.snapshotDataset({ spec: creditSpec(), specDir: h.dataDir });
    const stats = JSON.parse(readFileSync(path.join(ref.path, 'reference-stats.json'), 'utf8'));
    expect(stats.rows).toBe(1200);
    expect(stats.features.income.edges).toHaveLength(9);
    expect(stats.features.income.proportions.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
    expect(stats.features.income.sample.length).toBeGreaterThan(50);
    expect(Object.keys(stats.features.region.frequencies)).toEqual(['east', 'north', 'south', 'west']);
  });

  it('gives the same id for a CSV file whatever its row order, with a seeded random split', async () => {
    const files = tempDir('csv');
    const header = 'id,x,label\n';
    const lines = Array.from({ length: 100 }, (_, i) => `${i},${i * 1.5},${i % 2}`);
    writeFileSync(path.join(files.dir, 'a.csv'), header + lines.join('\n'));
    writeFileSync(path.join(files.dir, 'b.csv'), header + [...lines].reverse().join('\n') + '\n');
    const spec = (file: string) => ModelSpecSchema.parse({ id: 'toy', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'file', path: file }, label: 'label', features: ['x'] } });
    const a = await h.activities.snapshotDataset({ spec: spec('a.csv'), specDir: files.dir });
    const b = await h.activities.snapshotDataset({ spec: spec('b.csv'), specDir: files.dir });
    files.cleanup();
    expect(b.snapshotId).toBe(a.snapshotId);
    expect(b.reused).toBe(true);
  });

  it('reads the iris source as a binary task with 150 rows', async () => {
    const spec = ModelSpecSchema.parse({ id: 'iris', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'iris' }, label: 'is_virginica', features: ['petal_length', 'petal_width'] } });
    const ref = await h.activities.snapshotDataset({ spec, specDir: h.dataDir });
    expect(ref.trainRows + ref.testRows).toBe(150);
    const rows = [...readJsonl(path.join(ref.path, 'train.jsonl')), ...readJsonl(path.join(ref.path, 'test.jsonl'))];
    expect(rows.filter((r) => r.is_virginica === '1')).toHaveLength(50);
  });
});
