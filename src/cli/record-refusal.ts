/**
 * The CLI's use of the approvals store (SQLite in the data folder, or PostgreSQL with
 * MLGATE_DATABASE_URL). A decision the CLI sent straight as an Update and the release refused never
 * reaches history; the approvals server logs its refusals, so the CLI writes its own to the same
 * refused-attempt log, which `mlgate audit` reads: refused attempts are in the audit whatever the channel.
 */
import type { Config } from '../config/env';
import type { ApprovalsStore, RefusedAttemptRecord } from '../ports/approvals-store';
import { chooseApprovalsStore } from '../workers/approvals-adapter';
import { migrateDatabase } from '../workers/database';
import { CliError } from './cli-error';

/** Opens the configured approvals store for one command and closes it afterwards; a database it cannot use (or may not migrate) is one line. */
export async function withApprovalsStore<R>(cfg: Config, fn: (store: ApprovalsStore) => Promise<R>): Promise<R> {
  const db = cfg.MLGATE_DATABASE_URL ? await migrateDatabase(cfg.MLGATE_DATABASE_URL) : null;
  if (db && !db.ok) throw new CliError(db.problem, 2);
  const store = chooseApprovalsStore({ dataDir: cfg.dataDir, ...(cfg.MLGATE_DATABASE_URL ? { databaseUrl: cfg.MLGATE_DATABASE_URL } : {}) });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export function recordCliRefusal(cfg: Config, attempt: Omit<RefusedAttemptRecord, 'at' | 'channel'>): Promise<void> {
  return withApprovalsStore(cfg, (store) => store.refused.record({ ...attempt, at: new Date().toISOString(), channel: 'cli' }));
}
