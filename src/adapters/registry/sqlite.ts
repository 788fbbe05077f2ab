/**
 * SQLite registry (better-sqlite3, WAL). Every multi-row change runs in one IMMEDIATE transaction,
 * so alias moves are atomic and a retried activity sees either all of a change or none of it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../domain/errors';
import { Alias, type AliasMap, type AliasMoveInput, type Registry } from '../../ports/registry';
import { promotionPlan, restorePlan, rollbackPlan, type AliasMove } from '../../domain/registry/alias-plans';
import { REGISTRY_DDL, toChange, toVersion, type HistoryRow, type VersionRow } from './sqlite-schema';

export interface SqliteRegistryOptions {
  /** Database file; its folder is created if missing. */
  file: string;
  /** Clock for created_at / history timestamps. @default () => new Date() */
  now?: () => Date;
}

type Change = Omit<AliasMoveInput, 'expected'>;

export function createSqliteRegistry(options: SqliteRegistryOptions): Registry {
  mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(REGISTRY_DDL);
  const now = () => (options.now ?? (() => new Date()))().toISOString();

  const aliasesOf = (model: string): AliasMap => {
    const map: AliasMap = { champion: null, previous: null, candidate: null };
    const rows = db.prepare('SELECT alias, artifact_id FROM aliases WHERE model = ?').all(model) as Array<{ alias: Alias; artifact_id: string | null }>;
    for (const r of rows) map[r.alias] = r.artifact_id;
    return map;
  };
  /** Writes one alias and its history row; callers hold the transaction. No-op when unchanged. */
  const setAlias = (c: Change) => {
    const from = aliasesOf(c.model)[c.alias];
    if (from === c.next) return;
    const at = now();
    db.prepare('INSERT INTO aliases (model, alias, artifact_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (model, alias) DO UPDATE SET artifact_id = excluded.artifact_id, updated_at = excluded.updated_at')
      .run(c.model, c.alias, c.next, at);
    db.prepare('INSERT INTO alias_history (model, alias, from_artifact, to_artifact, actor, reason, release_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.model, c.alias, from, c.next, c.actor, c.reason, c.releaseId ?? null, at);
  };
  const requireVersion = (model: string, artifactId: string) => {
    const row = db.prepare('SELECT 1 FROM versions WHERE model = ? AND artifact_id = ? LIMIT 1').get(model, artifactId);
    if (!row) throw ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message: `model "${model}" has no registered version with artifact ${artifactId}; list versions with the registry first` });
  };
  const tx = <A, R>(fn: (a: A) => R) => (a: A): R => db.transaction(fn).immediate(a);

  const register = tx((v: Parameters<Registry['registerVersion']>[0]) => {
    const existing = db.prepare('SELECT * FROM versions WHERE model = ? AND release_id = ? AND artifact_id = ?').get(v.model, v.releaseId, v.artifactId) as VersionRow | undefined;
    if (existing) return toVersion(existing); // Idempotency guard: a retried activity must not register twice.
    const { n } = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM versions WHERE model = ?').get(v.model) as { n: number };
    db.prepare(`INSERT INTO versions (model, version, artifact_id, snapshot_id, code_version, trainer, algorithm, params_json, seed, metrics_json, model_card_path, release_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(v.model, n, v.artifactId, v.snapshotId, v.codeVersion, v.trainer, v.algorithm,
      JSON.stringify(v.params), v.seed, JSON.stringify(v.metrics), v.modelCardPath ?? null, v.releaseId, now());
    return toVersion(db.prepare('SELECT * FROM versions WHERE model = ? AND version = ?').get(v.model, n) as VersionRow);
  });
  const move = tx((m: AliasMoveInput) => {
    const current = aliasesOf(m.model)[m.alias];
    if (current !== m.expected) {
      throw ApplicationFailure.create({ type: ErrorType.AliasConflict, nonRetryable: true, message: `alias ${m.model}@${m.alias} is ${current ?? 'unset'}, expected ${m.expected ?? 'unset'}; re-read the aliases and retry`, details: [{ current, expected: m.expected }] });
    }
    if (m.next !== null) requireVersion(m.model, m.next);
    setAlias(m);
    return aliasesOf(m.model);
  });
  /** Applies a plan's moves in order, each against the aliases as the previous move left them. */
  const apply = (base: Omit<Change, 'alias' | 'next'>, moves: AliasMove[]) => {
    for (const m of moves) setAlias({ ...base, ...m });
    return aliasesOf(base.model);
  };
  const promote = tx((p: Parameters<Registry['promote']>[0]) => {
    requireVersion(p.model, p.artifactId);
    return apply({ model: p.model, actor: p.actor, reason: p.reason, releaseId: p.releaseId }, promotionPlan(aliasesOf(p.model), p.artifactId));
  });
  const restore = tx((r: Parameters<Registry['restorePrevious']>[0]) =>
    apply({ model: r.model, actor: r.actor, reason: r.reason, releaseId: r.releaseId }, restorePlan(aliasesOf(r.model), r.artifactId)));
  const rollbackTo = tx((r: Parameters<Registry['rollbackTo']>[0]) => {
    requireVersion(r.model, r.artifactId);
    return apply({ model: r.model, actor: r.actor, reason: r.reason, releaseId: r.releaseId }, rollbackPlan(aliasesOf(r.model), r.artifactId));
  });
  const acquire = tx(({ model, releaseId }: { model: string; releaseId: string }) => {
    db.prepare('INSERT OR IGNORE INTO release_locks (model, release_id, acquired_at) VALUES (?, ?, ?)').run(model, releaseId, now());
    const held = db.prepare('SELECT release_id, acquired_at FROM release_locks WHERE model = ?').get(model) as { release_id: string; acquired_at: string };
    return held.release_id === releaseId ? { ok: true as const } : { ok: false as const, holder: held.release_id, since: held.acquired_at };
  });

  return {
    registerVersion: async (v) => register(v),
    getVersion: async (model, version) => {
      const row = db.prepare('SELECT * FROM versions WHERE model = ? AND version = ?').get(model, version) as VersionRow | undefined;
      return row ? toVersion(row) : null;
    },
    listVersions: async (model) => (db.prepare('SELECT * FROM versions WHERE model = ? ORDER BY version').all(model) as VersionRow[]).map(toVersion),
    getAliases: async (model) => aliasesOf(model),
    moveAlias: async (m) => move(m),
    aliasHistory: async (model) => (db.prepare('SELECT * FROM alias_history WHERE model = ? ORDER BY id').all(model) as HistoryRow[]).map(toChange),
    acquireReleaseLock: async (l) => acquire(l),
    releaseReleaseLock: async ({ model, releaseId }) => db.prepare('DELETE FROM release_locks WHERE model = ? AND release_id = ?').run(model, releaseId).changes > 0,
    promote: async (p) => promote(p),
    restorePrevious: async (r) => restore(r),
    rollbackTo: async (r) => rollbackTo(r),
    close: () => db.close(),
  };
}
