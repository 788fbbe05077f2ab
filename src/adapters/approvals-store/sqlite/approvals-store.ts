/** The approvals store: every SQLite-backed piece the approvals server and email activity share. */
import { openApprovalsDb } from './approvals-db';
import { createApiTokenStore } from './api-tokens';
import { createEmailLedger } from './email-ledger';
import { createRefusedAttemptLog } from './refused-attempts';
import { createUsedTokenStore } from './used-tokens';
import type { ApprovalsStore } from '../../../ports/approvals-store';

export type ApprovalsStoreOptions = {
  /** Folder for approvals.sqlite (the mlgate data folder). */
  dataDir: string;
};

export function openApprovalsStore({ dataDir }: ApprovalsStoreOptions): ApprovalsStore {
  const db = openApprovalsDb({ dataDir });
  return {
    usedTokens: createUsedTokenStore(db),
    apiTokens: createApiTokenStore(db),
    refused: createRefusedAttemptLog(db),
    emails: createEmailLedger(db),
    close: () => db.close(),
  };
}
