/**
 * Starts `release-<model>-<n>`: n is one more than the releases visibility knows of, and a
 * duplicate id (two people starting at once) simply takes the next number.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { releaseId, type ReleaseInputRaw } from '../domain/release';
import { ModelKey, ReasonKey, RiskClassKey, StageKey } from '../workflows/search-attributes';
import type { releaseWorkflow } from '../workflows/release';

export interface StartReleaseOptions {
  client: Client;
  taskQueue: string;
  input: ReleaseInputRaw;
}

export async function startRelease({ client, taskQueue, input }: StartReleaseOptions): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  const model = input.spec.id;
  const { count } = await client.workflow.count(`WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}"`);
  for (let n = count + 1; n < count + 50; n++) {
    try {
      return await client.workflow.start<typeof releaseWorkflow>('releaseWorkflow', {
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
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  throw new Error(`could not find a free release number for ${model} after 50 tries`);
}
