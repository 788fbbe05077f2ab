/**
 * Versioned migrations for mlgate's PostgreSQL state: each migration runs once, in order, in its own
 * transaction, recorded in `mlgate_migrations`. Concurrent openers (several workers starting at
 * once) take turns on a global advisory lock, so none applies a migration twice.
 */
import type { Pool } from 'pg';

export interface Migration {
  /** Unique and stable, e.g. "registry-001-initial"; applied in array order. */
  id: string;
  sql: string;
}

const LOCK_KEY = 'mlgate-migrations';

export async function migrate(pool: Pool, migrations: Migration[]): Promise<string[]> {
  const c = await pool.connect();
  const applied: string[] = [];
  try {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
    await c.query('CREATE TABLE IF NOT EXISTS mlgate_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
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
        await c.query('ROLLBACK');
        throw new Error(`migration ${m.id} failed: ${(err as Error).message}`);
      }
    }
    return applied;
  } finally {
    await c.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]).catch(() => undefined);
    c.release();
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
