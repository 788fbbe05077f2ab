/** Table rows to port records, shared by the SQLite and PostgreSQL approvals stores (same columns in both). */
import type { Channel } from '../../domain/approval/decision';
import type { EmailKey, RefusedAttemptRecord } from '../../ports/approvals-store';

export type RefusedRow = { at: string; who: string; release_id: string; run_id: string | null; gate: string; channel: Channel; code: string; reason: string };

export const toRefusedRecord = (r: RefusedRow): RefusedAttemptRecord => ({
  at: r.at, who: r.who, releaseId: r.release_id, ...(r.run_id ? { runId: r.run_id } : {}), gate: r.gate, channel: r.channel, code: r.code, reason: r.reason,
});

export const toEmailEntry = (r: Record<string, unknown>): EmailKey & { status: string; messageId: string | null } => ({
  releaseId: String(r.release_id), runId: String(r.run_id), gate: String(r.gate), openingId: Number(r.opening_id), approver: String(r.approver),
  kind: String(r.kind), sequence: Number(r.sequence), status: String(r.status), messageId: (r.message_id as string | null) ?? null,
});

/** The ledger key as column values, approver lower-cased (one row per person, however they typed it). */
export const emailKeyArgs = (k: EmailKey) => [k.releaseId, k.runId, k.gate, k.openingId, k.approver.toLowerCase(), k.kind, k.sequence];
