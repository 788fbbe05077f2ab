/**
 * `ensureMonitor`: signal-with-start of `monitor-<model>`, called by the release after a promotion
 * and after a rollback of a promoted model. Starts the monitor the first time, re-points it after.
 */
import { Context } from '@temporalio/activity';
import type { ModelSpec } from '../../domain/spec';
import { monitorRepointSignal, type monitorWorkflow } from '../../workflows/monitor';

export interface EnsureMonitorInput {
  spec: ModelSpec;
  specDir: string;
  codeVersion: string;
  /** Why the monitor is (re-)pointed, e.g. `promoted release-credit-1`. */
  reason: string;
}

export const monitorId = (model: string) => `monitor-${model}`;

export async function ensureMonitor(input: EnsureMonitorInput): Promise<{ monitorId: string; runId: string }> {
  const target = { spec: input.spec, specDir: input.specDir, codeVersion: input.codeVersion, reason: input.reason };
  const handle = await Context.current().client.workflow.signalWithStart<typeof monitorWorkflow, [typeof target]>('monitorWorkflow', {
    workflowId: monitorId(input.spec.id),
    taskQueue: Context.current().info.taskQueue,
    args: [{ model: input.spec.id, ...target }],
    signal: monitorRepointSignal,
    signalArgs: [target],
  });
  return { monitorId: handle.workflowId, runId: handle.signaledRunId };
}
