/**
 * Heartbeat and cancellation for adapters, taken from the Temporal activity context when there
 * is one. Adapters only see plain callbacks, so they run (and are tested) without Temporal.
 */
import { asyncLocalStorage } from '@temporalio/activity';

export interface ActivityHooks {
  heartbeat: (details?: unknown) => void;
  signal?: AbortSignal;
}

export function activityHooks(): ActivityHooks {
  const ctx = asyncLocalStorage.getStore();
  // Outside an activity (CLI, scripts) there is nothing to heartbeat to and nothing cancels.
  if (!ctx) return { heartbeat: () => undefined };
  return { heartbeat: (d) => ctx.heartbeat(d), signal: ctx.cancellationSignal };
}

/**
 * Runs `work` while heartbeating every `everyMs`, so a worker that dies mid-activity is noticed
 * within the heartbeat timeout instead of the (much longer) start-to-close timeout.
 */
export function withHeartbeat<A extends unknown[], R>(work: (...args: A) => Promise<R>, everyMs = 5_000): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const { heartbeat } = activityHooks();
    heartbeat();
    const timer = setInterval(() => heartbeat(), everyMs);
    try {
      return await work(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
