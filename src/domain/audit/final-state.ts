/** How a workflow ended and which stages it passed, read from close events and search-attribute upserts. */
import { at, first, str, type AuditEvent } from './audit-event';
import type { AuditRecord } from './audit-record';
import { upsertedStage } from './gate-audit';

type Final = AuditRecord['final'];

const CLOSE: Record<string, Final['status']> = {
  WORKFLOW_EXECUTION_COMPLETED: 'completed',
  WORKFLOW_EXECUTION_FAILED: 'failed',
  WORKFLOW_EXECUTION_CANCELED: 'cancelled',
  WORKFLOW_EXECUTION_TERMINATED: 'terminated',
  WORKFLOW_EXECUTION_TIMED_OUT: 'timed_out',
};

function upsertedOutcome(e: AuditEvent): string | undefined {
  if (e.type !== 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') return undefined;
  const v = at(e.attrs, 'searchAttributes', 'indexedFields', 'mlgateOutcome');
  return str(first(v) ?? v);
}

/** `events` are all runs of the root workflow, in order. */
export function finalState(events: readonly AuditEvent[]): Final {
  const stages = events.flatMap((e) => {
    const stage = upsertedStage(e);
    return stage ? [{ stage, at: e.time }] : [];
  });
  const close = [...events].reverse().find((e) => CLOSE[e.type]);
  const outcome = events.map(upsertedOutcome).filter(Boolean).pop();
  if (!close) return { status: 'running', ...(outcome ? { outcome } : {}), reasons: [], stages };
  const result = first(close.attrs.result);
  const reasons = at(result, 'reasons');
  const failure = str(at(close.attrs, 'failure', 'message')) ?? str(close.attrs.reason);
  return {
    status: CLOSE[close.type],
    ...((str(at(result, 'outcome')) ?? outcome) ? { outcome: str(at(result, 'outcome')) ?? outcome } : {}),
    reasons: Array.isArray(reasons) ? (reasons as string[]) : failure ? [failure] : [],
    closedAt: close.time,
    stages,
  };
}
