/**
 * Refused decision attempts. The workflow's Update validator keeps them out of history, and
 * auditors ask about them, so the approvals server writes each one here.
 */
import type { ApprovalsDb } from './approvals-db';
import type { Channel } from '../../../domain/approval/decision';
import type { RefusedAttemptLog, RefusedAttemptRecord } from '../../../ports/approvals-store';

type Row = { at: string; who: string; release_id: string; run_id: string | null; gate: string; channel: Channel; code: string; reason: string };

export function createRefusedAttemptLog(db: ApprovalsDb): RefusedAttemptLog {
  const insert = db.prepare('INSERT INTO refused_attempts (at, who, release_id, run_id, gate, channel, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const all = db.prepare<[], Row>('SELECT * FROM refused_attempts ORDER BY seq');
  const byRelease = db.prepare<[string], Row>('SELECT * FROM refused_attempts WHERE release_id = ? ORDER BY seq');
  const toRecord = (r: Row): RefusedAttemptRecord => ({
    at: r.at, who: r.who, releaseId: r.release_id, ...(r.run_id ? { runId: r.run_id } : {}), gate: r.gate, channel: r.channel, code: r.code, reason: r.reason,
  });
  return {
    record: (r) => void insert.run(r.at, r.who, r.releaseId, r.runId ?? null, r.gate, r.channel, r.code, r.reason),
    list: (filter = {}) => (filter.releaseId ? byRelease.all(filter.releaseId) : all.all()).map(toRecord),
  };
}
