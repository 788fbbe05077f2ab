/**
 * `mlgate audit verify <file>`: checks an exported record three ways. (1) its own record digest
 * (any edit to the file shows); (2) each history digest against the live history (an edited or
 * swapped history shows); (3) the record rebuilt from the live histories equals the file (a
 * record re-sealed after editing shows). A history that grew since export (a running release) is
 * checked over the events the record covered, and reported as a note, not a failure.
 */
import type { Client } from '@temporalio/client';
import { canonicalJson } from '../domain/canonical-json';
import { formatIssues } from '../domain/errors';
import { AuditRecordSchema, type AuditRecord } from '../domain/audit/audit-record';
import type { RefusedLogEntry } from '../domain/audit/release-audit';
import { sealAuditRecord } from './build-audit-record';
import { eventsDigest, historyListDigest, recordDigest } from './digest';
import type { HistoryExport } from './export-history';
import { loadHistories, type LoadedHistories, type RunHistoryJson } from './load-histories';

export interface VerifyAuditRecordOptions {
  client: Client;
  /** The exported record, as parsed JSON (unvalidated: verification validates it). */
  record: unknown;
  /** The refused-attempts log for the release; without it that section is covered by the record digest only. */
  refusedAttempts?: readonly RefusedLogEntry[];
}

export interface VerifyResult {
  ok: boolean;
  /** Each mismatch, naming the field or history that differs. */
  problems: string[];
  notes: string[];
}

function checkHistories(record: AuditRecord, live: RunHistoryJson[], problems: string[], notes: string[]): void {
  for (const ref of record.histories) {
    const run = live.find((r) => r.workflowId === ref.workflowId && r.runId === ref.runId);
    if (!run) { problems.push(`history ${ref.workflowId}/${ref.runId} is not on the server`); continue; }
    const n = run.history.events.length;
    if (n < ref.eventCount) { problems.push(`history ${ref.workflowId}/${ref.runId} has ${n} events, the record says ${ref.eventCount}`); continue; }
    if (eventsDigest(run.history.events, ref.eventCount) !== ref.digest) problems.push(`history ${ref.workflowId}/${ref.runId}: digest differs from the live history`);
    if (n > ref.eventCount) notes.push(`history ${ref.workflowId}/${ref.runId} has ${n - ref.eventCount} events newer than the record`);
  }
  if (historyListDigest(record.histories) !== record.integrity.historyDigest) problems.push('integrity.historyDigest does not match the histories list');
}

/** Top-level fields whose content differs between two records. */
function differingFields(a: AuditRecord, b: AuditRecord, skip: readonly string[]): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.includes(k));
  return keys.filter((k) => canonicalJson((a as Record<string, unknown>)[k]) !== canonicalJson((b as Record<string, unknown>)[k]));
}

/** Pure part: verify against histories the caller loaded (live, or from an archive). */
export function verifyAgainstHistories(raw: unknown, live: LoadedHistories, refusedAttempts?: readonly RefusedLogEntry[]): VerifyResult {
  const parsed = AuditRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues, 'record'), notes: [] };
  const record = parsed.data;
  const problems: string[] = [];
  const notes: string[] = [];
  if (recordDigest(record) !== record.integrity.recordDigest) problems.push('integrity.recordDigest does not match the record: the file was edited after export');
  checkHistories(record, [...live.runs, ...live.children], problems, notes);
  const grown = notes.length > 0;
  if (!grown) {
    const rebuilt = sealAuditRecord(live, refusedAttempts ?? record.refusedAttempts.filter((r) => r.source === 'log'));
    for (const field of differingFields(record, rebuilt, ['integrity'])) problems.push(`${field}: differs from the record rebuilt from the live history`);
  } else notes.push('the release moved on since export: content was checked through the digests of the events the record covered');
  return { ok: problems.length === 0, problems, notes };
}

export async function verifyAuditRecord({ client, record, refusedAttempts }: VerifyAuditRecordOptions): Promise<VerifyResult> {
  const releaseId = (record as { releaseId?: unknown } | null)?.releaseId;
  if (typeof releaseId !== 'string') return { ok: false, problems: ['record.releaseId: missing; is this an mlgate audit record (mlgate audit <release> --json)?'], notes: [] };
  return verifyAgainstHistories(record, await loadHistories({ client, workflowId: releaseId }), refusedAttempts);
}

/** Verifies a record against an archived `mlgate audit export` file instead of the live server. */
export function verifyAgainstExport(record: unknown, exported: HistoryExport, refusedAttempts?: readonly RefusedLogEntry[]): VerifyResult {
  const runs = exported.histories.filter((h) => h.workflowId === exported.releaseId) as RunHistoryJson[];
  const children = exported.histories.filter((h) => h.workflowId !== exported.releaseId) as RunHistoryJson[];
  return verifyAgainstHistories(record, { runs, children }, refusedAttempts);
}
