/**
 * Starts `release-<model>-<n>` (and `rollback-<model>-<n>`) on Temporal: n is one more than the
 * executions of that type visibility knows of for the model, and a duplicate id (two people
 * starting at once) simply takes the next number. The CLI uses `startRelease` and `startRollback`
 * (it follows the handle); activities get the `ReleaseStarter` port.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { releaseId, rollbackId, type ReleaseInputRaw } from '../../domain/release';
import type { ReleaseStarter } from '../../ports/release-starter';
import { ModelKey, ReasonKey, RiskClassKey, StageKey } from '../../workflows/search-attributes';
import type { releaseWorkflow } from '../../workflows/release';
import type { RollbackRequest, rollbackWorkflow } from '../../workflows/rollback';

/** Tries ids n = count+1, count+2, … until one is free. */
async function startNumbered<T>(o: { client: Client; type: string; model: string; start: (n: number) => Promise<T> }): Promise<T> {
  const { count } = await o.client.workflow.count(`WorkflowType = "${o.type}" AND mlgateModel = "${o.model}"`);
  for (let n = count + 1; n < count + 50; n++) {
    try {
      return await o.start(n);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  throw new Error(`could not find a free ${o.type} number for ${o.model} after 50 tries`);
}

export interface StartReleaseOptions {
  client: Client;
  taskQueue: string;
  input: ReleaseInputRaw;
}

export async function startRelease({ client, taskQueue, input }: StartReleaseOptions): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  const model = input.spec.id;
  return startNumbered({
    client, type: 'releaseWorkflow', model,
    start: (n) => client.workflow.start<typeof releaseWorkflow>('releaseWorkflow', {
      taskQueue,
      workflowId: releaseId(model, n),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: ModelKey, value: model },
        { key: RiskClassKey, value: input.spec.riskClass },
        { key: StageKey, value: 'queued' },
        { key: ReasonKey, value: input.reason ?? 'manual' },
      ],
    }),
  });
}

/** Starts `rollback-<model>-<n>` (`mlgate rollback`), a business key like a release's. */
export async function startRollback({ client, taskQueue, request }: { client: Client; taskQueue: string; request: RollbackRequest }): Promise<WorkflowHandle<typeof rollbackWorkflow>> {
  return startNumbered({
    client, type: 'rollbackWorkflow', model: request.model,
    start: (n) => client.workflow.start<typeof rollbackWorkflow>('rollbackWorkflow', {
      taskQueue,
      workflowId: rollbackId(request.model, n),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [request],
      typedSearchAttributes: [{ key: ModelKey, value: request.model }, { key: StageKey, value: 'rolling_back' }],
    }),
  });
}

/** The `ReleaseStarter` port on a Temporal client; new releases go to `taskQueue`. */
export function createTemporalReleaseStarter({ client, taskQueue }: { client: Client; taskQueue: string }): ReleaseStarter {
  return {
    async start(input) {
      const handle = await startRelease({ client, taskQueue, input });
      return { releaseId: handle.workflowId };
    },
    async running(model) {
      const query = `WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}" AND ExecutionStatus = "Running"`;
      for await (const wf of client.workflow.list({ query, pageSize: 10 })) return wf.workflowId;
      return null;
    },
  };
}
