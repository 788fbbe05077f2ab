/**
 * A whole release with the registry and the approvals store in a real local PostgreSQL
 * (MLGATE_DATABASE_URL) instead of SQLite files: real Temporal, gateway, traffic and SMTP. The
 * promotion's versions and aliases and the approval-mail ledger are in PostgreSQL, and no SQLite
 * registry or approvals file was created.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openPostgresApprovalsStore } from '../../../src/adapters/approvals-store/postgres';
import { openPostgresRegistry } from '../../../src/adapters/registry/postgres';
import { creditSpec, openReleaseEnv, type ReleaseEnv } from '../../helpers/release-env';
import { promoteUnderTraffic } from '../../helpers/promote';
import { terminateIfRunning, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

describe('a release on the PostgreSQL registry', () => {
  let env: ReleaseEnv;
  const model = unique('pgrel');
  let releaseId = '';
  beforeAll(async () => {
    env = await openReleaseEnv({ postgres: true });
  }, 180_000);
  afterAll(async () => {
    if (env) await terminateIfRunning(env.client, `monitor-${model}`);
    await env?.close();
  });

  it('registers and promotes the version in PostgreSQL, with its lineage and alias history', async () => {
    const { id, result } = await promoteUnderTraffic(env, creditSpec(model));
    releaseId = id;
    expectOutcome(result, 'promoted');
    const registry = await openPostgresRegistry({ url: env.databaseUrl! });
    try {
      const versions = await registry.listVersions(model);
      expect(versions).toEqual([expect.objectContaining({ model, version: 1, artifactId: result.artifactId, releaseId: id, trainer: 'builtin' })]);
      expect(await registry.getAliases(model)).toEqual({ champion: result.artifactId, previous: null, candidate: null });
      const history = await registry.aliasHistory(model);
      expect(history.filter((h) => h.alias === 'champion').map((h) => ({ to: h.to, releaseId: h.releaseId }))).toEqual([{ to: result.artifactId, releaseId: id }]);
    } finally {
      registry.close();
    }
    expect(existsSync(path.join(env.dataDir, 'registry.sqlite'))).toBe(false);
  });

  it('keeps the approval-mail ledger of both gates in PostgreSQL, not in a SQLite file', async () => {
    const store = await openPostgresApprovalsStore({ url: env.databaseUrl! });
    try {
      const mails = await store.emails.list({ releaseId });
      expect(new Set(mails.map((m) => m.gate))).toEqual(new Set(['deploy', 'promote']));
      expect(mails.every((m) => m.status === 'sent' && m.messageId)).toBe(true);
    } finally {
      store.close();
    }
    expect(existsSync(path.join(env.dataDir, 'approvals.sqlite'))).toBe(false);
  });
});
