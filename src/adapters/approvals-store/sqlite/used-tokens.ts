/** One-time use of approval links: a nonce is recorded when its decision was accepted. */
import type { ApprovalsDb } from './approvals-db';
import type { UsedTokenStore } from '../../../ports/approvals-store';

export function createUsedTokenStore(db: ApprovalsDb): UsedTokenStore {
  const get = db.prepare<[string], { nonce: string }>('SELECT nonce FROM used_tokens WHERE nonce = ?');
  const put = db.prepare('INSERT OR IGNORE INTO used_tokens (nonce, release_id, run_id, gate, approver, used_at) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    isUsed: async (nonce) => get.get(nonce) !== undefined,
    markUsed: async (p, at) => put.run(p.nonce, p.releaseId, p.runId, p.gate, p.approver, at.toISOString()).changes === 1,
  };
}
