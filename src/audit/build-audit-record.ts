/**
 * `mlgate audit <release>`: reads the release's histories (all runs, and the rollout child's),
 * builds the record with the pure builder, and seals it with the history and record digests.
 */
import type { Client } from '@temporalio/client';
import { buildAuditBody } from '../domain/audit/build-audit-body';
import { AuditRecordSchema, type AuditRecord } from '../domain/audit/audit-record';
import type { RefusedLogEntry } from '../domain/audit/release-audit';
import { decodeRun } from './decode-events';
import { historyListDigest, historyRef, recordDigest, sha256Hex } from './digest';
import { loadHistories, type LoadedHistories } from './load-histories';

export interface BuildAuditRecordOptions {
  client: Client;
  /** The release's workflow id (`release-<model>-<n>`) or a rollback's. */
  releaseId: string;
  /**
   * Refused decision attempts for this release, from the approvals store
   * (`openApprovalsStore({ dataDir }).refused.list({ releaseId })`). @default []
   */
  refusedAttempts?: readonly RefusedLogEntry[];
}

/** Builds and seals a record from histories already loaded (verification rebuilds through here too). */
export function sealAuditRecord(histories: LoadedHistories, refusedAttempts: readonly RefusedLogEntry[] = []): AuditRecord {
  const body = buildAuditBody({ runs: histories.runs.map(decodeRun), children: histories.children.map(decodeRun), refusedAttempts: refusedAttempts.map(pickRefused), hash: sha256Hex });
  const histRefs = [...histories.runs, ...histories.children].map(historyRef);
  const unsealed = { ...body, histories: histRefs, integrity: { algorithm: 'sha256' as const, historyDigest: historyListDigest(histRefs) } };
  // Round-trip through JSON so the sealed object equals what a reader of the exported file sees.
  const plain = JSON.parse(JSON.stringify(unsealed)) as typeof unsealed;
  return AuditRecordSchema.parse({ ...plain, integrity: { ...plain.integrity, recordDigest: recordDigest(plain) } });
}

function pickRefused(r: RefusedLogEntry): RefusedLogEntry {
  return { at: r.at, who: r.who, gate: r.gate, channel: r.channel, code: r.code, reason: r.reason };
}

export async function buildAuditRecord({ client, releaseId, refusedAttempts }: BuildAuditRecordOptions): Promise<AuditRecord> {
  return sealAuditRecord(await loadHistories({ client, workflowId: releaseId }), refusedAttempts);
}
