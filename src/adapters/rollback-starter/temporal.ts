/** The `RollbackStarter` port on a Temporal client: `rollbackWorkflow` under the caller's id, at most once. */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { RollbackStarter } from '../../ports/rollback-starter';
import { ModelKey, ReasonKey, StageKey } from '../../workflows/search-attributes';

export function createTemporalRollbackStarter({ client, taskQueue }: { client: Client; taskQueue: string }): RollbackStarter {
  return {
    async startOnce(workflowId, request) {
      try {
        await client.workflow.start('rollbackWorkflow', {
          taskQueue, workflowId, workflowIdReusePolicy: 'REJECT_DUPLICATE', args: [request],
          typedSearchAttributes: [{ key: ModelKey, value: request.model }, { key: StageKey, value: 'rolling_back' }, { key: ReasonKey, value: request.cause }],
        });
        return { rollbackId: workflowId, alreadyStarted: false };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { rollbackId: workflowId, alreadyStarted: true };
        throw err;
      }
    },
  };
}
