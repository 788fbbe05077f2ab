/**
 * Times each activity's own work, on the worker, for ordinary and local activities alike: the
 * history has no start event for a local activity, so its own run time can only be read where it
 * runs. Wraps the worker's activity functions; the records are keyed by workflow id.
 */
import { activityInfo } from '@temporalio/activity';

export interface WorkRecord {
  workflowId: string;
  activity: string;
  local: boolean;
  /** Epoch ms, sub-millisecond precision (same clock as the Temporal server's event times: one machine). */
  startMs: number;
  endMs: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

export function createWorkLog() {
  const records: WorkRecord[] = [];
  return {
    records,
    wrap<A extends object>(activities: A): A {
      const wrapped: Record<string, unknown> = {};
      for (const [name, fn] of Object.entries(activities)) {
        if (typeof fn !== 'function') continue;
        wrapped[name] = async (...args: unknown[]) => {
          const info = activityInfo();
          const startMs = nowMs();
          try {
            return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            records.push({ workflowId: info.workflowExecution?.workflowId ?? 'none', activity: info.activityType, local: info.isLocal, startMs, endMs: nowMs() });
          }
        };
      }
      return wrapped as A;
    },
  };
}
