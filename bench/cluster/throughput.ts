/**
 * Releases per minute at N concurrent (bench/load/drive.ts's release shape): the embedded stack
 * (Temporal dev server with its SQLite file, one worker in its own process), then the scale-out
 * topology (src/cluster/topology.ts: the Temporal server on PostgreSQL, mlgate's state in
 * PostgreSQL) with one `mlgate worker` and then with two, on the same cluster instance.
 */
import { Client } from '@temporalio/client';
import { startCluster } from '../../src/cluster/topology';
import { driveLoad, type LoadResult, type LoadTarget } from '../load/drive';
import { startBenchStack } from '../shared/stack';
import { connectTemporal } from '../../src/temporal/connection-interceptors';

export interface ThroughputOptions {
  releases: number;
  timeoutMs: number;
}

export interface ClusterThroughput {
  /** Seconds from nothing to every process of the topology ready. */
  clusterStartSeconds: number;
  oneWorker: LoadResult;
  twoWorkers: LoadResult;
}

const line = (label: string, r: LoadResult) =>
  `${label}: ${r.releases} releases in ${r.wallSeconds} s, ${r.releasesPerMinute}/min, completion p95 ${r.completionSeconds.p95} s, task wait p95 ${r.workflowTaskWaitMs.p95} ms, temporal cpu ${r.cpuCores.temporalServer}, outcomes ${JSON.stringify(r.outcomes)}`;

export async function embeddedThroughput(o: ThroughputOptions): Promise<LoadResult> {
  const stack = await startBenchStack({ name: `cluster-embedded-${o.releases}`, persist: true, workerInChild: true });
  try {
    const r = { ...(await driveLoad(stack, { releases: o.releases, timeoutMs: o.timeoutMs, idPrefix: 'release-embedded' })), temporal: 'dev server, SQLite file' };
    console.log(line('embedded, 1 worker', r));
    return r;
  } finally {
    await stack.close();
  }
}

/**
 * One cluster: the second worker is stopped (SIGTERM, graceful) for the one-worker run and a fresh
 * one started for the two-worker run. Each run has its own model ids, or the second run's artifacts
 * would equal the first's champions and be refused as superseded.
 */
export async function clusterThroughput(o: ThroughputOptions): Promise<ClusterThroughput> {
  const t0 = Date.now();
  const cluster = await startCluster({ logLevel: 'error' });
  const clusterStartSeconds = (Date.now() - t0) / 1000;
  console.log(`cluster ready in ${clusterStartSeconds.toFixed(0)} s`);
  const connection = await connectTemporal({ address: cluster.temporal.address });
  try {
    const client = new Client({ connection, namespace: cluster.temporal.namespace });
    const target = (workerPid: number | undefined): LoadTarget => ({
      client, taskQueue: cluster.env.MLGATE_TASK_QUEUE, dataDir: cluster.env.MLGATE_DATA_DIR, temporalPid: cluster.temporal.child.pid, workerPid, workerMemoryPeak: async () => null,
    });
    const temporal = 'Temporal server on PostgreSQL (scale-out topology)';
    await cluster.workers[1].stop();
    const oneWorker = await driveLoad(target(cluster.workers[0].child.pid), { releases: o.releases, timeoutMs: o.timeoutMs, idPrefix: 'release-cluster-1w', modelPrefix: 'cluster-1w', shape: { workers: 1, temporal } });
    console.log(line('cluster, 1 worker', oneWorker));
    await cluster.startWorker();
    // Two worker processes: driveLoad's per-process CPU and RSS cover one, so neither is given.
    const twoWorkers = await driveLoad(target(undefined), { releases: o.releases, timeoutMs: o.timeoutMs, idPrefix: 'release-cluster-2w', modelPrefix: 'cluster-2w', shape: { workers: 2, temporal } });
    console.log(line('cluster, 2 workers', twoWorkers));
    return { clusterStartSeconds, oneWorker, twoWorkers };
  } finally {
    await connection.close();
    await cluster.stop();
  }
}
