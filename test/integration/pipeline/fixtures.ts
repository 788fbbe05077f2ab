/** Shared set-up for pipeline integration tests: real temp folders, real SQLite, real files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPipelineActivities } from '../../../src/activities/pipeline';
import { createTrainers, openPipelineStores } from '../../../src/workers/pipeline-adapters';
import { ModelSpecSchema, type ModelSpec, type ModelSpecInput } from '../../../src/domain/spec';
import { createModelRuntime } from '../../../src/adapters/model-runtime';

export const PII_SALT = 'test-salt';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `mlgate-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function creditSpec(overrides: Partial<ModelSpecInput> = {}, rows = 1500): ModelSpec {
  return ModelSpecSchema.parse({
    id: 'credit-risk', owner: 'risk@example.com', riskClass: 'medium',
    data: {
      source: { kind: 'synthetic-credit', rows, seed: 1 }, label: 'default',
      features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'], categorical: ['region'],
      pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }],
      split: { kind: 'time', column: 'applied_at', testFraction: 0.2 },
    },
    offline: { slices: ['gender'] },
    ...overrides,
  });
}

/** A fresh data folder with the embedded stores and the activities over them. */
export function pipelineHarness(prefix: string, o: { maxModelBytes?: number } = {}) {
  const tmp = tempDir(prefix);
  const stores = openPipelineStores({ dataDir: tmp.dir });
  const activities = createPipelineActivities({
    dataDir: tmp.dir, piiSalt: PII_SALT, ...stores,
    now: () => new Date('2026-01-01T00:00:00Z'),
    trainers: createTrainers({ env: { PATH: process.env.PATH }, heartbeatMs: 50, killGraceMs: 500, ...o }),
    createRuntime: createModelRuntime,
  });
  return { dataDir: tmp.dir, ...stores, activities, close: () => { stores.registry.close(); tmp.cleanup(); } };
}
