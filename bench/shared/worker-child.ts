/**
 * The bench stack's worker in a process of its own, so a benchmark can measure the worker's memory
 * and CPU apart from the load driver, the gateway and the Temporal server. Receives a
 * `WorkerChildInit` over IPC, answers `{ ready: true }` once polling, shuts down on disconnect.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { openActivityDeps, type ActivityDepsOptions } from '../../src/workers/activity-deps';
import { createWorker, type CreateWorkerOptions } from '../../src/workers/worker';

export interface WorkerChildInit {
  address: string;
  taskQueue: string;
  deps: Omit<ActivityDepsOptions, 'temporal'>;
  limits: Pick<CreateWorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivities' | 'maxConcurrentWorkflowTasks' | 'maxConcurrentLocalActivities'>;
  /** Built by the driver (a baseline); otherwise the worker bundles mlgate's at start, as `mlgate worker` does. */
  workflowBundle?: { code: string };
}

process.once('message', (init: WorkerChildInit) => {
  void (async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    const connection = await Connection.connect({ address: init.address });
    const client = new Client({ connection, namespace: 'default' });
    const opened = openActivityDeps({ ...init.deps, temporal: { client, taskQueue: init.taskQueue } });
    const { worker, connection: workerConnection } = await createWorker({
      address: init.address, namespace: 'default', taskQueue: init.taskQueue, activities: createActivities(opened.deps), shutdownGraceTime: '1s', ...init.limits,
      ...(init.workflowBundle ? { workflowBundle: init.workflowBundle } : {}),
    });
    const running = worker.run();
    // Where the worker's memory is: V8 heap (main thread) or outside it (workflow thread, native core, buffers).
    const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      for (const k of Object.keys(peak) as Array<keyof typeof peak>) peak[k] = Math.max(peak[k], Math.round(m[k] / 2 ** 20));
    }, 250);
    sampler.unref();
    process.on('message', (m) => {
      if (m === 'memory') process.send?.({ memoryPeakMb: peak });
    });
    process.once('disconnect', () => {
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
