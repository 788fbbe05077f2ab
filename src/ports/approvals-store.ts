/**
 * The approvals store: API tokens, used link nonces, refused decision attempts and the approval
 * email ledger, shared by the approvals server and the approval email activity. The embedded
 * adapter is SQLite (`adapters/approvals-store/sqlite`).
 */
import type { ApprovalTokenPayload } from '../approval-links/approval-token';
import type { Channel, RefusalCode } from '../domain/approval/decision';
import type { GateName } from '../domain/spec';

export type ApiTokenStore = {
  /** Creates a token for `user` and returns its plaintext; it cannot be read back later. */
  create(user: string): Promise<string>;
  /** The user a token belongs to, or null for unknown, revoked or malformed tokens. */
  authenticate(plaintext: string): Promise<string | null>;
  revoke(plaintext: string): Promise<boolean>;
};

export type EmailKey = { releaseId: string; runId: string; gate: string; openingId: number; approver: string; kind: string; sequence: number };

export type EmailLedger = {
  /** True when this mail was already sent (skip it); otherwise marks it `sending`. */
  alreadySent(key: EmailKey): Promise<boolean>;
  markSent(key: EmailKey, messageId: string): Promise<void>;
  list(filter: { releaseId: string }): Promise<Array<EmailKey & { status: string; messageId: string | null }>>;
};

export type RefusedAttemptRecord = {
  at: string;
  who: string;
  releaseId: string;
  runId?: string;
  gate: GateName | string;
  channel: Channel;
  /** A domain refusal code, or a link problem such as `expired`, `bad_signature`, `replayed`. */
  code: RefusalCode | string;
  reason: string;
};

export type RefusedAttemptLog = {
  record(r: RefusedAttemptRecord): Promise<void>;
  list(filter?: { releaseId?: string }): Promise<RefusedAttemptRecord[]>;
};

export type UsedTokenStore = {
  isUsed(nonce: string): Promise<boolean>;
  /** Records the nonce; false when it was already used (a concurrent replay lost the race). */
  markUsed(payload: ApprovalTokenPayload, at: Date): Promise<boolean>;
};

export type ApprovalsStore = {
  usedTokens: UsedTokenStore;
  apiTokens: ApiTokenStore;
  refused: RefusedAttemptLog;
  emails: EmailLedger;
  close(): void;
};
