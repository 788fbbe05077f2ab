/**
 * History JSON -> the audit's decoded events: every payload (inputs, results, update args,
 * search attributes) decoded with the default payload converter. Undecodable payloads (binary,
 * or encrypted by a codec) are kept as `{ undecodedPayload }` so nothing disappears silently.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import type { AuditEvent, AuditHistory } from '../domain/audit/audit-event';
import { attributesOf, type HistoryJsonEvent, type RunHistoryJson } from './load-histories';

function isPayload(v: Record<string, unknown>): boolean {
  const meta = v.metadata as Record<string, unknown> | undefined;
  return typeof meta === 'object' && meta !== null && 'encoding' in meta;
}

function decodePayload(json: Record<string, unknown>): unknown {
  try {
    return defaultPayloadConverter.fromPayload(JSONToPayload(json as unknown as JSONPayload));
  } catch {
    return { undecodedPayload: json };
  }
}

/** Walks an attributes tree and replaces `Payloads` with arrays of values and each `Payload` with its value. */
export function decodeTree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeTree);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (isPayload(o)) return decodePayload(o);
  if (Array.isArray(o.payloads) && Object.keys(o).length === 1) return o.payloads.map((p) => decodeTree(p));
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeTree(x)]));
}

export function decodeEvent(e: HistoryJsonEvent): AuditEvent {
  return { eventId: Number(e.eventId), type: e.eventType.replace(/^EVENT_TYPE_/, ''), time: e.eventTime, attrs: decodeTree(attributesOf(e)) as Record<string, unknown> };
}

export function decodeRun(run: RunHistoryJson): AuditHistory {
  return { workflowId: run.workflowId, runId: run.runId, workflowType: run.workflowType, events: run.history.events.map(decodeEvent) };
}
