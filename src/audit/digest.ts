/**
 * Tamper evidence. A run's digest is sha256 over the canonical JSON of its events, each reduced to
 * id, type, time and attributes (raw payload bytes, not decoded values, so any change shows).
 * The record digest covers the whole record except itself, so an edited file fails offline too.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import type { AuditHistoryRef, AuditRecord } from '../domain/audit/audit-record';
import { attributesOf, type HistoryJsonEvent, type RunHistoryJson } from './load-histories';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The canonical encoding of the first `count` events (all by default). */
export function eventsDigest(events: readonly HistoryJsonEvent[], count = events.length): string {
  const reduced = events.slice(0, count).map((e) => ({ eventId: e.eventId, eventType: e.eventType, eventTime: e.eventTime, attributes: attributesOf(e) }));
  return sha256Hex(canonicalJson(reduced));
}

export function historyRef(run: RunHistoryJson): AuditHistoryRef {
  return { workflowId: run.workflowId, runId: run.runId, workflowType: run.workflowType, eventCount: run.history.events.length, digest: eventsDigest(run.history.events) };
}

export function historyListDigest(refs: readonly AuditHistoryRef[]): string {
  return sha256Hex(canonicalJson(refs));
}

/** Digest of the record with `integrity.recordDigest` left out. */
export function recordDigest(record: Omit<AuditRecord, 'integrity'> & { integrity: Omit<AuditRecord['integrity'], 'recordDigest'> & { recordDigest?: string } }): string {
  const { recordDigest: _omit, ...integrity } = record.integrity;
  return sha256Hex(canonicalJson({ ...record, integrity }));
}
