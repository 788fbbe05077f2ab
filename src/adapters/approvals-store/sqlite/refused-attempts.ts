/**
 * Refused decision attempts. The workflow's Update validator keeps them out of history, and
 * auditors ask about them, so the approvals server writes each one here.
 */
import type { ApprovalsDb } from './approvals-db';
import type { RefusedAttemptLog } from '../../../ports/approvals-store';
import { toRefusedRecord, type RefusedRow } from '../rows';

export function createRefusedAttemptLog(db: ApprovalsDb): RefusedAttemptLog {
  const insert = db.prepare('INSERT INTO refused_attempts (at, who, release_id, run_id, gate, channel, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const all = db.prepare<[], RefusedRow>('SELECT * FROM refused_attempts ORDER BY seq');
  const byRelease = db.prepare<[string], RefusedRow>('SELECT * FROM refused_attempts WHERE release_id = ? ORDER BY seq');
  return {
    record: async (r) => void insert.run(r.at, r.who, r.releaseId, r.runId ?? null, r.gate, r.channel, r.code, r.reason),
    list: async (filter = {}) => (filter.releaseId ? byRelease.all(filter.releaseId) : all.all()).map(toRefusedRecord),
  };
}
