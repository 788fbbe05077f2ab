/**
 * Creates an mlgate worker. The composition root (`stack.ts`, `mlgate worker`, tests) decides which
 * activities and which task queue; this file only knows how to build the Temporal worker.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { TemporalConnection } from '../config/env';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests bundle once per file); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** TLS, API key and gRPC metadata for the connection (Config.temporalConnection). @default none: plain gRPC */
  connectOptions?: TemporalConnection;
  /** @default false: set for activity-only workers such as training workers */
  activitiesOnly?: boolean;
  identity?: string;
  /** @default "5s" */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /**
   * Workflow executions kept in memory. A bound keeps memory flat however many releases wait at
   * gates; an evicted one is replayed from history when it next wakes. @default the SDK's, sized from the heap
   */
  maxCachedWorkflows?: number;
  /** Activities run at once; the rest wait in the task queue. @default the SDK's (100) */
  maxConcurrentActivities?: number;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ ...opts.connectOptions, address: opts.address });
  const workflows = opts.activitiesOnly ? {} : opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH };
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.identity ? { identity: opts.identity } : {}),
    shutdownGraceTime: opts.shutdownGraceTime ?? '5s',
    ...(opts.maxCachedWorkflows !== undefined && !opts.activitiesOnly ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities } : {}),
    ...workflows,
  });
  return { worker, connection };
}
