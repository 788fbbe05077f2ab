import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteRegistry } from '../../../src/adapters/registry/sqlite';
import { createRegistryActivities } from '../../../src/activities/pipeline/registry-activities';
import type { VersionInput } from '../../../src/ports/registry';
import { tempDir } from './fixtures';

const tmp = tempDir('registry');
const file = path.join(tmp.dir, 'registry.sqlite');
const registry = createSqliteRegistry({ file, now: () => new Date('2026-01-01T00:00:00Z') });
const acts = createRegistryActivities(registry);
afterAll(() => { registry.close(); tmp.cleanup(); });

let n = 0;
/** Registers a fresh version of `model` and returns its artifact id. */
async function version(model: string, releaseId = `release-${model}-${++n}`): Promise<string> {
  const artifactId = `art-${String(++n).padStart(16, '0')}`;
  await acts.registerVersion(versionInput(model, releaseId, artifactId));
  return artifactId;
}
const versionInput = (model: string, releaseId: string, artifactId: string): VersionInput => ({
  model, releaseId, artifactId, snapshotId: 'snap-00000000000000aa', codeVersion: 'abc123', trainer: 'builtin',
  algorithm: 'logistic-regression', params: { epochs: 300 }, seed: 7, metrics: { auc: 0.81 }, modelCardPath: '/cards/x.md',
});

describe('SQLite registry', () => {
  it('registers a version with its full lineage and returns the same version when the same release retries', async () => {
    const input = versionInput('m-idem', 'release-m-idem-1', 'art-00000000000000a1');
    const first = await acts.registerVersion(input);
    const retry = await acts.registerVersion(input);
    expect(first).toEqual({ ...input, version: 1, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(retry).toEqual(first);
    expect(await registry.listVersions('m-idem')).toHaveLength(1);
    const next = await acts.registerVersion({ ...input, releaseId: 'release-m-idem-2', artifactId: 'art-00000000000000a2' });
    expect(next.version).toBe(2);
  });

  it('rejects a malformed artifact id with InvalidInput naming the field and registers nothing', async () => {
    await expect(acts.registerVersion(versionInput('m-bad', 'release-m-bad-1', 'model.pkl')))
      .rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringMatching(/^registerVersion: artifactId: expected an artifact id/) });
    expect(await registry.listVersions('m-bad')).toEqual([]);
  });

  it('uses WAL journal mode', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('moves an alias only when its current value is the expected one and fails with AliasConflict otherwise', async () => {
    const a = await version('m-cas');
    const b = await version('m-cas');
    await registry.moveAlias({ model: 'm-cas', alias: 'candidate', expected: null, next: a, actor: 'alice', reason: 'first' });
    await expect(registry.moveAlias({ model: 'm-cas', alias: 'candidate', expected: null, next: b, actor: 'bob', reason: 'stale read' }))
      .rejects.toMatchObject({ type: 'AliasConflict', nonRetryable: true, message: expect.stringMatching(/is art-0+\d+, expected unset/) });
    expect((await registry.getAliases('m-cas')).candidate).toBe(a);
    const history = await registry.aliasHistory('m-cas');
    expect(history).toEqual([{ model: 'm-cas', alias: 'candidate', from: null, to: a, actor: 'alice', reason: 'first', releaseId: null, at: '2026-01-01T00:00:00.000Z' }]);
  });

  it('refuses to point an alias at an artifact that has no registered version', async () => {
    await expect(registry.moveAlias({ model: 'm-cas', alias: 'champion', expected: null, next: 'art-ffffffffffffffff', actor: 'a', reason: 'r' }))
      .rejects.toMatchObject({ type: 'NotFound' });
  });

  it('lets one release hold the lock per model, re-acquire it idempotently, and release only its own lock', async () => {
    expect(await acts.acquireReleaseLock({ model: 'm-lock', releaseId: 'r1' })).toEqual({ ok: true });
    expect(await acts.acquireReleaseLock({ model: 'm-lock', releaseId: 'r1' })).toEqual({ ok: true });
    expect(await acts.acquireReleaseLock({ model: 'm-lock', releaseId: 'r2' })).toEqual({ ok: false, holder: 'r1', since: '2026-01-01T00:00:00.000Z' });
    expect(await acts.acquireReleaseLock({ model: 'other', releaseId: 'r2' })).toEqual({ ok: true });
    expect(await acts.releaseReleaseLock({ model: 'm-lock', releaseId: 'r2' })).toBe(false);
    expect(await acts.releaseReleaseLock({ model: 'm-lock', releaseId: 'r1' })).toBe(true);
    expect(await acts.acquireReleaseLock({ model: 'm-lock', releaseId: 'r2' })).toEqual({ ok: true });
  });

  it('promotes atomically (champion, previous, candidate cleared) and a retried promotion changes nothing', async () => {
    const v1 = await version('m-pro');
    await registry.promote({ model: 'm-pro', releaseId: 'rel-1', artifactId: v1, actor: 'mlgate', reason: 'promoted' });
    const v2 = await version('m-pro');
    await acts.setCandidateAlias({ model: 'm-pro', releaseId: 'rel-2', artifactId: v2 });
    expect(await acts.getAliases({ model: 'm-pro' })).toEqual({ champion: v1, previous: null, candidate: v2 });
    const promoted = await registry.promote({ model: 'm-pro', releaseId: 'rel-2', artifactId: v2, actor: 'carol', reason: 'approved' });
    expect(promoted).toEqual({ champion: v2, previous: v1, candidate: null });
    const historyLength = (await registry.aliasHistory('m-pro')).length;
    expect(await registry.promote({ model: 'm-pro', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'promoted' })).toEqual(promoted);
    expect(await registry.aliasHistory('m-pro')).toHaveLength(historyLength);
  });

  it('restores the previous champion once and treats a repeated restore as a no-op', async () => {
    const v1 = await version('m-rb');
    await registry.promote({ model: 'm-rb', releaseId: 'rel-1', artifactId: v1, actor: 'mlgate', reason: 'promoted' });
    const v2 = await version('m-rb');
    await registry.promote({ model: 'm-rb', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'promoted' });
    const restored = await registry.restorePrevious({ model: 'm-rb', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'SLO breach' });
    expect(restored).toEqual({ champion: v1, previous: v2, candidate: null });
    expect(await registry.restorePrevious({ model: 'm-rb', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'SLO breach' })).toEqual(restored);
    const last = (await registry.aliasHistory('m-rb')).at(-1);
    expect(last).toMatchObject({ alias: 'previous', to: v2, actor: 'mlgate', reason: 'SLO breach', releaseId: 'rel-2' });
  });

  it('clears only the candidate when a release that never promoted rolls back', async () => {
    const v1 = await version('m-cand');
    await registry.promote({ model: 'm-cand', releaseId: 'rel-1', artifactId: v1, actor: 'mlgate', reason: 'promoted' });
    const v2 = await version('m-cand');
    await acts.setCandidateAlias({ model: 'm-cand', releaseId: 'rel-2', artifactId: v2 });
    expect(await registry.restorePrevious({ model: 'm-cand', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'rolled back' })).toEqual({ champion: v1, previous: null, candidate: null });
  });

  it('rolls back to a named older version and is idempotent', async () => {
    const v1 = await version('m-to');
    const v2 = await version('m-to');
    await registry.promote({ model: 'm-to', releaseId: 'rel-1', artifactId: v1, actor: 'mlgate', reason: 'promoted' });
    await registry.promote({ model: 'm-to', releaseId: 'rel-2', artifactId: v2, actor: 'mlgate', reason: 'promoted' });
    const r = await registry.rollbackTo({ model: 'm-to', artifactId: v1, actor: 'ops@example.com', reason: 'manual rollback' });
    expect(r).toEqual({ champion: v1, previous: v2, candidate: null });
    expect(await registry.rollbackTo({ model: 'm-to', artifactId: v1, actor: 'ops@example.com', reason: 'manual rollback' })).toEqual(r);
  });

  it('keeps data across reopening the database file', async () => {
    const other = createSqliteRegistry({ file });
    expect((await other.listVersions('m-idem')).map((v) => v.version)).toEqual([1, 2]);
    other.close();
  });
});
