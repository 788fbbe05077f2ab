/**
 * What every PostgreSQL adapter starts with: a pool whose migrations begin at once, so the
 * composition root can wire the adapter synchronously; every query waits for them (`db()`), and a
 * failed migration fails each call with its reason. `openWhenMigrated` is for callers that want
 * the failure at open instead.
 */
import type { Pool } from 'pg';
import { migrate, type Migration } from './migrate';
import { createPool } from './pool-options';

export interface MigratedPool {
  pool: Pool;
  /** Resolves once the migrations ran; observed by callers, never an unhandled rejection. */
  ready: Promise<void>;
  /** The pool once the migrations ran. */
  db(): Promise<Pool>;
}

export function migratedPool(url: string, migrations: Migration[], max = 5): MigratedPool {
  // A connection the server dropped is discarded and the next query opens a new one (createPool).
  const pool = createPool(url, max);
  const ready = migrate(pool, migrations).then(() => undefined);
  ready.catch(() => undefined);
  return { pool, ready, db: async () => { await ready; return pool; } };
}

/** Waits for an adapter's migrations; on failure closes it and rethrows the database's own error. */
export async function openWhenMigrated<T extends { ready: Promise<void>; close(): void }>(adapter: T): Promise<T> {
  try {
    await adapter.ready;
  } catch (err) {
    adapter.close();
    throw err;
  }
  return adapter;
}
