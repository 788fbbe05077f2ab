/**
 * Idempotency ledger for approval emails: one row per (release, run, gate, opening, approver,
 * kind, sequence). A retried activity skips rows already `sent`, so nobody gets the same mail twice.
 */
import type { ApprovalsDb } from './approvals-db';
import type { EmailLedger } from '../../../ports/approvals-store';
import { emailKeyArgs as args, toEmailEntry } from '../rows';

export function createEmailLedger(db: ApprovalsDb): EmailLedger {
  const keyCols = 'release_id = ? AND run_id = ? AND gate = ? AND opening_id = ? AND approver = ? AND kind = ? AND sequence = ?';
  const get = db.prepare<unknown[], { status: string }>(`SELECT status FROM approval_emails WHERE ${keyCols}`);
  const begin = db.prepare(
    'INSERT OR IGNORE INTO approval_emails (release_id, run_id, gate, opening_id, approver, kind, sequence, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, \'sending\', ?)',
  );
  const sent = db.prepare(`UPDATE approval_emails SET status = 'sent', message_id = ?, updated_at = ? WHERE ${keyCols}`);
  const list = db.prepare<[string], Record<string, unknown>>('SELECT * FROM approval_emails WHERE release_id = ? ORDER BY updated_at');
  return {
    async alreadySent(k) {
      // A row left in `sending` means an earlier attempt died mid-send: we send again, because a
      // lost approval request is worse than a rare duplicate from that narrow window.
      if (get.get(...args(k))?.status === 'sent') return true;
      begin.run(...args(k), new Date().toISOString());
      return false;
    },
    markSent: async (k, messageId) => void sent.run(messageId, new Date().toISOString(), ...args(k)),
    list: async ({ releaseId }) => list.all(releaseId).map(toEmailEntry),
  };
}
