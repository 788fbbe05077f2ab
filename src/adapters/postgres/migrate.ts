/**
 * Versioned migrations for mlgate's PostgreSQL state: each migration runs once, in order, in its own
 * transaction, recorded in `mlgate_migrations`. Concurrent openers (several workers starting at
 * once) take turns on a global advisory lock, so none applies a migration twice.
 */
import type { Pool } from 'pg';
import { connectionBroken } from './pool-options';

export interface Migration {
  /** Unique and stable, e.g. "registry-001-initial"; applied in array order. */
  id: string;
  sql: string;
}

const LOCK_KEY = 'mlgate-migrations';

/** A migration the database refused; `code` is PostgreSQL's SQLSTATE (42501: the role may not create it). */
export class MigrationError extends Error {
  readonly code: string | undefined;
  constructor(readonly migration: string, cause: Error & { code?: string }) {
    super(`migration ${migration} failed: ${cause.message}`, { cause });
    this.name = 'MigrationError';
    this.code = cause.code;
  }
}

async function wrap<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new MigrationError(what, err as Error & { code?: string });
  }
}

export async function migrate(pool: Pool, migrations: Migration[]): Promise<string[]> {
  const c = await pool.connect();
  const applied: string[] = [];
  let broken: Error | undefined;
  try {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
    // Created only when missing: a role that may read and write rows but not create tables (the
    // servers', once `mlgate migrate` ran as the owner) must get through here when nothing is left to do.
    const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('mlgate_migrations')::text AS t")).rows[0].t;
    if (!exists) await wrap('the migrations table', () => c.query('CREATE TABLE IF NOT EXISTS mlgate_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())'));
    const done = new Set((await c.query<{ id: string }>('SELECT id FROM mlgate_migrations')).rows.map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await c.query('BEGIN');
      try {
        await c.query(m.sql);
        await c.query('INSERT INTO mlgate_migrations (id) VALUES ($1)', [m.id]);
        await c.query('COMMIT');
        applied.push(m.id);
      } catch (err) {
        if (!connectionBroken(err)) await c.query('ROLLBACK');
        throw new MigrationError(m.id, err as Error & { code?: string });
      }
    }
    return applied;
  } catch (err) {
    if (connectionBroken(err) || connectionBroken((err as Error).cause)) broken = err as Error;
    throw err;
  } finally {
    // A broken connection is closed, not returned: closing it also releases the advisory lock.
    if (!broken) await c.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]).catch((e: Error) => void (broken = e));
    c.release(broken);
  }
}

/** The URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

/** At start: one line when PostgreSQL cannot be used (unreachable, wrong password, no such database), else null. */
export async function checkPostgres(url: string, timeoutMs = 10_000): Promise<string | null> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return `cannot use PostgreSQL at ${redactDatabaseUrl(url)} (${(err as Error).message}); check MLGATE_DATABASE_URL`;
  } finally {
    await c.end().catch(() => undefined);
  }
}
