/**
 * A whole release with the registry in a real local PostgreSQL (MLGATE_DATABASE_URL) instead of the
 * SQLite file: real Temporal, gateway, traffic and SMTP. The promotion's versions and aliases are in
 * PostgreSQL, and no SQLite registry was created.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openPostgresRegistry } from '../../../src/adapters/registry/postgres';
import { creditSpec, openReleaseEnv, type ReleaseEnv } from '../../helpers/release-env';
import { promoteUnderTraffic } from '../../helpers/promote';
import { unique } from '../../helpers/temporal';

describe('a release on the PostgreSQL registry', () => {
  let env: ReleaseEnv;
  const model = unique('pgrel');
  beforeAll(async () => {
    env = await openReleaseEnv({ postgres: true });
  }, 180_000);
  afterAll(async () => {
    await env?.client.workflow.getHandle(`monitor-${model}`).terminate('test cleanup').catch(() => undefined);
    await env?.close();
  });

  it('registers and promotes the version in PostgreSQL, with its lineage and alias history', async () => {
    const { id, result } = await promoteUnderTraffic(env, creditSpec(model));
    expect(result.outcome).toBe('promoted');
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
});
