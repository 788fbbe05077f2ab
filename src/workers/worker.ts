/**
 * Creates an mlgate worker. The composition root (`stack.ts`, `mlgate worker`, tests) decides which
 * activities and which task queue; this file only knows how to build the Temporal worker.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests bundle once per file); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** @default false: set for activity-only workers such as training workers */
  activitiesOnly?: boolean;
  identity?: string;
  /** @default 0 (no grace) */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const workflows = opts.activitiesOnly ? {} : opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH };
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.identity ? { identity: opts.identity } : {}),
    shutdownGraceTime: opts.shutdownGraceTime ?? '5s',
    ...workflows,
  });
  return { worker, connection };
}
