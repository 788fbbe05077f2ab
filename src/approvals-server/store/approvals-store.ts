/** The approvals store: every SQLite-backed piece the approvals server and email activity share. */
import { openApprovalsDb } from './approvals-db';
import { createApiTokenStore, type ApiTokenStore } from './api-tokens';
import { createEmailLedger, type EmailLedger } from './email-ledger';
import { createRefusedAttemptLog, type RefusedAttemptLog } from './refused-attempts';
import { createUsedTokenStore, type UsedTokenStore } from './used-tokens';

export type ApprovalsStore = {
  usedTokens: UsedTokenStore;
  apiTokens: ApiTokenStore;
  refused: RefusedAttemptLog;
  emails: EmailLedger;
  close(): void;
};

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
