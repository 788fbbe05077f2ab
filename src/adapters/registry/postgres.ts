/**
 * PostgreSQL registry (`pg`), chosen by MLGATE_DATABASE_URL=postgres://… for scale-out, where several
 * workers share one registry. The same rules as the SQLite adapter (the alias plans in
 * src/domain/registry/alias-plans.ts); each change runs in one transaction that first takes a
 * per-model advisory lock, so two workers moving one model's aliases take turns. The schema comes
 * from versioned migrations, applied at open under a global advisory lock.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import { ErrorType } from '../../domain/errors';
import { promotionPlan, restorePlan, rollbackPlan, type AliasMove } from '../../domain/registry/alias-plans';
import type { Alias, AliasMap, AliasMoveInput, Registry } from '../../ports/registry';
import { toChange, toVersion, type HistoryRow, type VersionRow } from './sqlite-schema';
import type { Migration } from '../postgres/migrate';
import { migratedPool, openWhenMigrated } from '../postgres/migrated-pool';
import { inTransaction } from '../postgres/transaction';

export const REGISTRY_MIGRATIONS: Migration[] = [
  {
    id: 'registry-001-initial',
    sql: `
CREATE TABLE versions (
  model TEXT NOT NULL, version INTEGER NOT NULL, artifact_id TEXT NOT NULL, snapshot_id TEXT NOT NULL, code_version TEXT NOT NULL,
  trainer TEXT NOT NULL, algorithm TEXT NOT NULL, params_json TEXT NOT NULL, seed BIGINT NOT NULL, metrics_json TEXT NOT NULL,
  model_card_path TEXT, release_id TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (model, version), UNIQUE (model, release_id, artifact_id)
);
CREATE TABLE aliases (
  model TEXT NOT NULL, alias TEXT NOT NULL CHECK (alias IN ('champion', 'previous', 'candidate')), artifact_id TEXT, updated_at TEXT NOT NULL,
  PRIMARY KEY (model, alias)
);
CREATE TABLE alias_history (
  id BIGSERIAL PRIMARY KEY, model TEXT NOT NULL, alias TEXT NOT NULL, from_artifact TEXT, to_artifact TEXT, actor TEXT NOT NULL,
  reason TEXT NOT NULL, release_id TEXT, at TEXT NOT NULL
);
CREATE INDEX alias_history_model ON alias_history (model, id);
CREATE TABLE release_locks (model TEXT PRIMARY KEY, release_id TEXT NOT NULL, acquired_at TEXT NOT NULL);
`,
  },
];

export interface PostgresRegistryOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Clock for created_at / history timestamps. @default () => new Date() */
  now?: () => Date;
}

type Change = Omit<AliasMoveInput, 'expected'>;

/** Opens the registry and applies its migrations first; fails with the database's own error. */
export async function openPostgresRegistry(options: PostgresRegistryOptions): Promise<Registry> {
  return openWhenMigrated(createPostgresRegistry(options));
}

/**
 * The registry at once, for the composition root's synchronous wiring: every call waits for the
 * migrations (`ready`). Check `ready` at start so a bad URL stops the process with one line.
 */
export function createPostgresRegistry(options: PostgresRegistryOptions): Registry & { ready: Promise<void> } {
  const { pool, ready, db } = migratedPool(options.url, REGISTRY_MIGRATIONS);
  const now = () => (options.now ?? (() => new Date()))().toISOString();

  const aliasesOf = async (c: PoolClient | Pool, model: string): Promise<AliasMap> => {
    const map: AliasMap = { champion: null, previous: null, candidate: null };
    const { rows } = await c.query<{ alias: Alias; artifact_id: string | null }>('SELECT alias, artifact_id FROM aliases WHERE model = $1', [model]);
    for (const r of rows) map[r.alias] = r.artifact_id;
    return map;
  };
  const setAlias = async (c: PoolClient, ch: Change) => {
    const from = (await aliasesOf(c, ch.model))[ch.alias];
    if (from === ch.next) return;
    const at = now();
    await c.query('INSERT INTO aliases (model, alias, artifact_id, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (model, alias) DO UPDATE SET artifact_id = excluded.artifact_id, updated_at = excluded.updated_at', [ch.model, ch.alias, ch.next, at]);
    await c.query('INSERT INTO alias_history (model, alias, from_artifact, to_artifact, actor, reason, release_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [ch.model, ch.alias, from, ch.next, ch.actor, ch.reason, ch.releaseId ?? null, at]);
  };
  const requireVersion = async (c: PoolClient, model: string, artifactId: string) => {
    const { rowCount } = await c.query('SELECT 1 FROM versions WHERE model = $1 AND artifact_id = $2 LIMIT 1', [model, artifactId]);
    if (!rowCount) throw ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message: `model "${model}" has no registered version with artifact ${artifactId}; list versions with the registry first` });
  };
  /** One transaction holding the model's advisory lock (released at commit or rollback). */
  const tx = async <R>(model: string, fn: (c: PoolClient) => Promise<R>): Promise<R> =>
    inTransaction(await db(), async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mlgate-registry:${model}`]);
      return fn(c);
    });
  const apply = async (c: PoolClient, base: Omit<Change, 'alias' | 'next'>, moves: AliasMove[]) => {
    for (const m of moves) await setAlias(c, { ...base, ...m });
    return aliasesOf(c, base.model);
  };
  const versionRow = (r: VersionRow) => toVersion({ ...r, seed: Number(r.seed) });

  return {
    ready,
    registerVersion: (v) => tx(v.model, async (c) => {
      const existing = await c.query<VersionRow>('SELECT * FROM versions WHERE model = $1 AND release_id = $2 AND artifact_id = $3', [v.model, v.releaseId, v.artifactId]);
      if (existing.rows[0]) return versionRow(existing.rows[0]); // Idempotency guard: a retried activity must not register twice.
      const { rows } = await c.query<{ n: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM versions WHERE model = $1', [v.model]);
      const inserted = await c.query<VersionRow>(`INSERT INTO versions (model, version, artifact_id, snapshot_id, code_version, trainer, algorithm, params_json, seed, metrics_json, model_card_path, release_id, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`, [v.model, rows[0].n, v.artifactId, v.snapshotId, v.codeVersion, v.trainer, v.algorithm,
        JSON.stringify(v.params), v.seed, JSON.stringify(v.metrics), v.modelCardPath ?? null, v.releaseId, now()]);
      return versionRow(inserted.rows[0]);
    }),
    getVersion: async (model, version) => {
      const { rows } = await (await db()).query<VersionRow>('SELECT * FROM versions WHERE model = $1 AND version = $2', [model, version]);
      return rows[0] ? versionRow(rows[0]) : null;
    },
    listVersions: async (model) => (await (await db()).query<VersionRow>('SELECT * FROM versions WHERE model = $1 ORDER BY version', [model])).rows.map(versionRow),
    getAliases: async (model) => aliasesOf(await db(), model),
    moveAlias: (m) => tx(m.model, async (c) => {
      const current = (await aliasesOf(c, m.model))[m.alias];
      if (current !== m.expected) {
        throw ApplicationFailure.create({ type: ErrorType.AliasConflict, nonRetryable: true, message: `alias ${m.model}@${m.alias} is ${current ?? 'unset'}, expected ${m.expected ?? 'unset'}; re-read the aliases and retry`, details: [{ current, expected: m.expected }] });
      }
      if (m.next !== null) await requireVersion(c, m.model, m.next);
      await setAlias(c, m);
      return aliasesOf(c, m.model);
    }),
    aliasHistory: async (model) => (await (await db()).query<HistoryRow>('SELECT * FROM alias_history WHERE model = $1 ORDER BY id', [model])).rows.map(toChange),
    acquireReleaseLock: ({ model, releaseId }) => tx(model, async (c) => {
      await c.query('INSERT INTO release_locks (model, release_id, acquired_at) VALUES ($1, $2, $3) ON CONFLICT (model) DO NOTHING', [model, releaseId, now()]);
      const held = (await c.query<{ release_id: string; acquired_at: string }>('SELECT release_id, acquired_at FROM release_locks WHERE model = $1', [model])).rows[0];
      return held.release_id === releaseId ? { ok: true as const } : { ok: false as const, holder: held.release_id, since: held.acquired_at };
    }),
    releaseReleaseLock: async ({ model, releaseId }) => ((await (await db()).query('DELETE FROM release_locks WHERE model = $1 AND release_id = $2', [model, releaseId])).rowCount ?? 0) > 0,
    promote: (p) => tx(p.model, async (c) => {
      await requireVersion(c, p.model, p.artifactId);
      return apply(c, { model: p.model, actor: p.actor, reason: p.reason, releaseId: p.releaseId }, promotionPlan(await aliasesOf(c, p.model), p.artifactId));
    }),
    restorePrevious: (r) => tx(r.model, async (c) => apply(c, { model: r.model, actor: r.actor, reason: r.reason, releaseId: r.releaseId }, restorePlan(await aliasesOf(c, r.model), r.artifactId))),
    rollbackTo: (r) => tx(r.model, async (c) => {
      await requireVersion(c, r.model, r.artifactId);
      return apply(c, { model: r.model, actor: r.actor, reason: r.reason, releaseId: r.releaseId }, rollbackPlan(await aliasesOf(c, r.model), r.artifactId));
    }),
    close: () => void pool.end(),
  };
}
