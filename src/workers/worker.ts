/**
 * Creates an mlgate worker. The composition root (`stack.ts`, `mlgate worker`, tests) decides which
 * activities and which task queue; this file only knows how to build the Temporal worker.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { WORKER_HEAP_GROWING_PERCENT_DEFAULT, type TemporalConnection } from '../config/env';
import { fork } from 'node:child_process';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Bundles the workflow code in a short-lived child process. Bundling (webpack) in the worker's own
 * process left about 300 MB of RSS behind for the worker's whole life (bench/load: 390 MB idle
 * after start); the child returns that memory when it exits.
 */
export async function bundleWorkflowsApart(): Promise<{ code: string }> {
  const child = fork(path.join(__dirname, 'bundle-child.ts'), [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as { code: string }));
    child.once('exit', (code) => reject(new Error(`bundling the workflow code failed (exit ${code}); see the lines above`)));
  });
}

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests bundle once per file); otherwise the workflows are bundled at start, in a child process. */
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
  /** Workflow tasks run at once; the rest wait in the task queue. @default the SDK's (40) */
  maxConcurrentWorkflowTasks?: number;
  /** Local activities run at once (a release's short registry steps). @default the SDK's (100) */
  maxConcurrentLocalActivities?: number;
  /**
   * How far V8 lets each heap of this process grow past its live memory before a full collection,
   * in percent; 0 leaves V8's own factor. V8 flags are process-wide: this also applies to the
   * SDK's workflow thread, which the SDK starts without resource limits, and to anything else in
   * the process. @default WORKER_HEAP_GROWING_PERCENT_DEFAULT (50); 0 leaves V8's flags untouched
   */
  heapGrowingPercent?: number;
  /** Threads that run workflow code; each keeps its own share of the workflow cache. @default the SDK's (1) */
  workflowThreads?: number;
}

/**
 * Bounds the garbage V8 keeps (see CreateWorkerOptions.heapGrowingPercent). V8 reads this flag at
 * every full collection, so setting it at run time takes effect in the heaps that already exist
 * and in the workflow thread the SDK starts next.
 */
function boundHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  boundHeapGrowth(opts.heapGrowingPercent ?? WORKER_HEAP_GROWING_PERCENT_DEFAULT);
  const connection = await NativeConnection.connect({ ...opts.connectOptions, address: opts.address });
  const workflows = opts.activitiesOnly ? {} : { workflowBundle: opts.workflowBundle ?? (await bundleWorkflowsApart()) };
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.identity ? { identity: opts.identity } : {}),
    shutdownGraceTime: opts.shutdownGraceTime ?? '5s',
    ...(opts.maxCachedWorkflows !== undefined && !opts.activitiesOnly ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities } : {}),
    ...(opts.maxConcurrentWorkflowTasks !== undefined && !opts.activitiesOnly ? { maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTasks } : {}),
    ...(opts.maxConcurrentLocalActivities !== undefined && !opts.activitiesOnly ? { maxConcurrentLocalActivityExecutions: opts.maxConcurrentLocalActivities } : {}),
    ...(opts.workflowThreads !== undefined && !opts.activitiesOnly ? { workflowThreadPoolSize: opts.workflowThreads } : {}),
    ...workflows,
  });
  return { worker, connection };
}
