/** One-time use of approval links: a nonce is recorded when its decision was accepted. */
import type { ApprovalsDb } from './approvals-db';
import type { ApprovalTokenPayload } from '../approval-token';

export type UsedTokenStore = {
  isUsed(nonce: string): boolean;
  /** Records the nonce; false when it was already used (a concurrent replay lost the race). */
  markUsed(payload: ApprovalTokenPayload, at: Date): boolean;
};

export function createUsedTokenStore(db: ApprovalsDb): UsedTokenStore {
  const get = db.prepare<[string], { nonce: string }>('SELECT nonce FROM used_tokens WHERE nonce = ?');
  const put = db.prepare('INSERT OR IGNORE INTO used_tokens (nonce, release_id, run_id, gate, approver, used_at) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    isUsed: (nonce) => get.get(nonce) !== undefined,
    markUsed: (p, at) => put.run(p.nonce, p.releaseId, p.runId, p.gate, p.approver, at.toISOString()).changes === 1,
  };
}
