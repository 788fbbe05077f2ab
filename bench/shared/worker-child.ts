/**
 * The bench stack's worker in a process of its own, so a benchmark can measure the worker's memory
 * and CPU apart from the load driver, the gateway and the Temporal server. Receives a
 * `WorkerChildInit` over IPC, answers `{ ready: true }` once polling, shuts down on disconnect.
 */
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { openActivityDeps, type ActivityDepsOptions } from '../../src/workers/activity-deps';
import { createWorker, type CreateWorkerOptions } from '../../src/workers/worker';
import { startMemoryProbe } from './memory-probe';
import { connectTemporal } from '../../src/temporal/connection-interceptors';

export interface WorkerChildInit {
  address: string;
  taskQueue: string;
  deps: Omit<ActivityDepsOptions, 'temporal'>;
  limits: Pick<CreateWorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivities' | 'maxConcurrentWorkflowTasks' | 'maxConcurrentLocalActivities' | 'heapGrowingPercent' | 'workflowThreads'>;
  /** Built by the driver (a baseline); otherwise the worker bundles mlgate's at start, as `mlgate worker` does. */
  workflowBundle?: { code: string };
  /** Diagnosis: a full GC in each worker thread before its heap is read (live memory, not garbage), every 5 s. @default off */
  probe?: { collectThreadGarbage: boolean };
}

process.once('message', (init: WorkerChildInit) => {
  void (async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    const connection = await connectTemporal({ address: init.address });
    const client = new Client({ connection, namespace: 'default' });
    const opened = openActivityDeps({ ...init.deps, temporal: { client, taskQueue: init.taskQueue } });
    const { worker, connection: workerConnection } = await createWorker({
      address: init.address, namespace: 'default', taskQueue: init.taskQueue, activities: createActivities(opened.deps), shutdownGraceTime: '1s', ...init.limits,
      ...(init.workflowBundle ? { workflowBundle: init.workflowBundle } : {}),
    });
    const running = worker.run();
    // Where the worker's memory is: V8 heaps (main thread, workflow thread), array buffers, native.
    const collectThreadGarbage = init.probe?.collectThreadGarbage ?? false;
    const probe = startMemoryProbe({ everyMs: collectThreadGarbage ? 5000 : 250, timelineEveryMs: 5000, collectThreadGarbage, cachedWorkflows: () => worker.getStatus().numCachedWorkflows });
    process.on('message', (m) => {
      if (m === 'memory') process.send?.({ memoryReport: probe.report() });
    });
    process.once('disconnect', () => {
      probe.stop();
      worker.shutdown();
      void running.then(async () => {
        await workerConnection.close();
        await connection.close();
        opened.close();
        process.exit(0);
      });
    });
    process.send?.({ ready: true });
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});
