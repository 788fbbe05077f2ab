/** Starts one release on the benchmark stack and reads event times back from its history. */
import type { WorkflowHandle } from '@temporalio/client';
import type { ModelSpec } from '../../src/domain/spec';
import type { Routing } from '../../src/domain/routing';
import { releaseWorkflow } from '../../src/workflows/release';
import type { BenchStack } from '../shared/stack';

export function startRelease(stack: BenchStack, spec: ModelSpec, workflowId: string): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  return stack.client.workflow.start(releaseWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId,
    args: [{ spec, specDir: stack.dataDir, requester: 'bench@example.com', codeVersion: 'bench', lockWait: '2m' }],
  });
}

interface Ts { seconds?: unknown; nanos?: number | null }
const msOf = (t: Ts | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Epoch ms at which the server recorded the last completion of the named activity in a workflow's history. */
export async function activityCompletedAt(stack: BenchStack, workflowId: string, activity: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).map((e) => String(e.eventId)));
  const done = events.filter((e) => scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? '')));
  const last = done.at(-1);
  if (!last) throw new Error(`no completed ${activity} in the history of ${workflowId}`);
  return msOf(last.eventTime);
}

/** Polls the gateway's admin routing every `everyMs` until `pred` holds; returns the local time it was seen. */
export async function pollRouting(stack: BenchStack, model: string, pred: (r: Routing | null) => boolean, opts: { everyMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (pred(await stack.admin.getRouting(model))) return Date.now();
    if (Date.now() > deadline) throw new Error(`routing of ${model} did not reach the expected state in time`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 10));
  }
}
