/**
 * The approvals store, chosen here in the composition root: `<dataDir>/approvals.sqlite` by
 * default, or PostgreSQL when a database URL (MLGATE_DATABASE_URL) is given, so every approvals
 * server, worker and CLI on several machines shares one set of tokens, used links and refusals.
 */
import { createPostgresApprovalsStore } from '../adapters/approvals-store/postgres';
import { openApprovalsStore } from '../adapters/approvals-store/sqlite/approvals-store';
import type { ApprovalsStore } from '../ports/approvals-store';

export interface ApprovalsStoreChoice {
  dataDir: string;
  /** postgres://… (MLGATE_DATABASE_URL). @default SQLite in dataDir */
  databaseUrl?: string;
}

export function chooseApprovalsStore(o: ApprovalsStoreChoice): ApprovalsStore {
  return o.databaseUrl ? createPostgresApprovalsStore({ url: o.databaseUrl }) : openApprovalsStore({ dataDir: o.dataDir });
}
