/** The `MonitorStarter` port on a Temporal client: signal-with-start of `monitor-<model>`. */
import type { Client } from '@temporalio/client';
import { monitorId, type MonitorStarter } from '../../ports/monitor-starter';
import { monitorRepointSignal, type MonitorInput, type MonitorTarget } from '../../workflows/monitor-messages';

export function createTemporalMonitorStarter({ client, taskQueue }: { client: Client; taskQueue: string }): MonitorStarter {
  return {
    async ensure(input) {
      const target: MonitorTarget = { spec: input.spec, specDir: input.specDir, codeVersion: input.codeVersion, reason: input.reason };
      const handle = await client.workflow.signalWithStart<(i: MonitorInput) => Promise<void>, [MonitorTarget]>('monitorWorkflow', {
        workflowId: monitorId(input.spec.id),
        taskQueue,
        args: [{ model: input.spec.id, ...target }],
        signal: monitorRepointSignal,
        signalArgs: [target],
      });
      return { monitorId: handle.workflowId, runId: handle.signaledRunId };
    },
  };
}
