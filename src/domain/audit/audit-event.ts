/**
 * A workflow history event as the audit reads it: id, type, time and its attributes with every
 * payload already decoded to plain JSON values. The client side (src/audit) decodes; this pure
 * code only reads. Types are the proto names without the `EVENT_TYPE_` prefix.
 */
export interface AuditEvent {
  eventId: number;
  /** e.g. `ACTIVITY_TASK_SCHEDULED`, `WORKFLOW_EXECUTION_UPDATE_ACCEPTED`. */
  type: string;
  time: string;
  attrs: Record<string, unknown>;
}

/** One run of one workflow (a release run, a continued run, or the rollout child). */
export interface AuditHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  events: AuditEvent[];
}

/** Reads a nested attribute path without trusting the shape (history JSON is external input). */
export function at(value: unknown, ...path: string[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** First decoded payload of a `Payloads` attribute (decoded to an array by the client side). */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}

/** One activity call: scheduled, and how it ended (if it has). */
export interface ActivityCall {
  activityType: string;
  input: unknown;
  scheduledAt: string;
  scheduledEventId: number;
  closedAt?: string;
  result?: unknown;
  failure?: string;
}

/** Pairs scheduled activities with their completion, failure, timeout or cancellation, in order. */
export function activityCalls(events: readonly AuditEvent[]): ActivityCall[] {
  const calls = new Map<number, ActivityCall>();
  for (const e of events) {
    if (e.type === 'ACTIVITY_TASK_SCHEDULED') {
      calls.set(e.eventId, { activityType: str(at(e.attrs, 'activityType', 'name')) ?? 'unknown', input: first(e.attrs.input), scheduledAt: e.time, scheduledEventId: e.eventId });
      continue;
    }
    const call = calls.get(Number(e.attrs.scheduledEventId));
    if (!call || !e.type.startsWith('ACTIVITY_TASK_')) continue;
    if (e.type === 'ACTIVITY_TASK_COMPLETED') Object.assign(call, { closedAt: e.time, result: first(e.attrs.result) });
    if (e.type === 'ACTIVITY_TASK_FAILED') Object.assign(call, { closedAt: e.time, failure: str(at(e.attrs, 'failure', 'message')) ?? 'failed' });
    if (e.type === 'ACTIVITY_TASK_TIMED_OUT') Object.assign(call, { closedAt: e.time, failure: 'timed out' });
    if (e.type === 'ACTIVITY_TASK_CANCELED') Object.assign(call, { closedAt: e.time, failure: 'cancelled' });
  }
  return [...calls.values()];
}
