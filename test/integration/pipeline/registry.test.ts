/**
 * The registry contract, run against both adapters: SQLite (the embedded default) and PostgreSQL
 * (scale-out, a real local server started for this file). Then what only the SQLite file has.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteRegistry } from '../../../src/adapters/registry/sqlite';
import { openPostgresRegistry } from '../../../src/adapters/registry/postgres';
import { createRegistryActivities } from '../../../src/activities/pipeline/registry-activities';
import type { Registry, VersionInput } from '../../../src/ports/registry';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';
import { tempDir } from './fixtures';

const tmp = tempDir('registry');
const file = path.join(tmp.dir, 'registry.sqlite');
const now = () => new Date('2026-01-01T00:00:00Z');
let postgres: LocalPostgres | undefined;
afterAll(async () => {
  await postgres?.stop();
  tmp.cleanup();
});

const versionInput = (model: string, releaseId: string, artifactId: string): VersionInput => ({
  model, releaseId, artifactId, snapshotId: 'snap-00000000000000aa', codeVersion: 'abc123', trainer: 'builtin',
  algorithm: 'logistic-regression', params: { epochs: 300 }, seed: 7, metrics: { auc: 0.81 }, modelCardPath: '/cards/x.md',
});

const ADAPTERS: Array<[string, () => Promise<Registry>]> = [
  ['SQLite', async () => createSqliteRegistry({ file, now })],
  ['PostgreSQL', async () => {
    postgres = await startPostgres();
    return openPostgresRegistry({ url: postgres.url, now });
  }],
];

describe.each(ADAPTERS)('%s registry', (_name, open) => {
  let registry: Registry;
  let acts: ReturnType<typeof createRegistryActivities>;
  beforeAll(async () => {
    registry = await open();
    acts = createRegistryActivities(registry);
  }, 180_000);
  afterAll(() => registry?.close());

  let n = 0;
  /** Registers a fresh version of `model` and returns its artifact id. */
  async function version(model: string, releaseId = `release-${model}-${++n}`): Promise<string> {
    const artifactId = `art-${String(++n).padStart(16, '0')}`;
    await acts.registerVersion(versionInput(model, releaseId, artifactId));
    return artifactId;
  }

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
});

describe('SQLite registry file', () => {
  it('uses WAL journal mode', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps data across reopening the database file', async () => {
    const other = createSqliteRegistry({ file });
    expect((await other.listVersions('m-idem')).map((v) => v.version)).toEqual([1, 2]);
    other.close();
  });
});

describe('PostgreSQL registry shared by several workers', () => {
  it('applies its migrations once however many open it at the same time', async () => {
    const opened = await Promise.all([0, 1, 2].map(() => openPostgresRegistry({ url: postgres!.url, now })));
    for (const r of opened) r.close();
    const db = new (await import('pg')).Client({ connectionString: postgres!.url });
    await db.connect();
    const { rows } = await db.query<{ id: string }>('SELECT id FROM mlgate_migrations ORDER BY id');
    await db.end();
    expect(rows.map((r) => r.id)).toEqual(['registry-001-initial']);
  });

  it('gives the release lock of a model to exactly one of many releases racing from two workers', async () => {
    const [a, b] = await Promise.all([openPostgresRegistry({ url: postgres!.url, now }), openPostgresRegistry({ url: postgres!.url, now })]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquireReleaseLock({ model: 'm-race', releaseId: `r${i}` })));
    a.close();
    b.close();
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('keeps the aliases consistent when two workers promote different versions of one model at once', async () => {
    const [a, b] = await Promise.all([openPostgresRegistry({ url: postgres!.url, now }), openPostgresRegistry({ url: postgres!.url, now })]);
    const ids = ['art-00000000000000c1', 'art-00000000000000c2', 'art-00000000000000c3'];
    for (const [i, id] of ids.entries()) await a.registerVersion(versionInput('m-two', `release-m-two-${i}`, id));
    await a.promote({ model: 'm-two', releaseId: 'release-m-two-0', artifactId: ids[0], actor: 'w', reason: 'first' });
    await Promise.all([
      a.promote({ model: 'm-two', releaseId: 'release-m-two-1', artifactId: ids[1], actor: 'worker-a', reason: 'race' }),
      b.promote({ model: 'm-two', releaseId: 'release-m-two-2', artifactId: ids[2], actor: 'worker-b', reason: 'race' }),
    ]);
    const aliases = await a.getAliases('m-two');
    const history = (await a.aliasHistory('m-two')).filter((h) => h.alias === 'champion');
    a.close();
    b.close();
    // Serialized: the second promotion saw the first one's champion, so `previous` is the other racer.
    expect([ids[1], ids[2]]).toContain(aliases.champion);
    expect(aliases.previous).toBe(aliases.champion === ids[1] ? ids[2] : ids[1]);
    expect(history.map((h) => h.to)).toEqual([ids[0], aliases.previous, aliases.champion]);
  });
});
