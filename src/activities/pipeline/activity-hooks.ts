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
