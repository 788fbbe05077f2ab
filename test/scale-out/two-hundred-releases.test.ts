/**
 * Load on the scale-out topology (src/cluster/topology.ts, its own instance for this file): 200
 * concurrent releases, the load test's release shape (bench/load/drive.ts), on two worker processes,
 * a real Temporal server on PostgreSQL and mlgate's registry in PostgreSQL. Every release must end
 * promoted, each model registered exactly once, and both workers must have done part of the work.
 * Time is reported, never asserted, and so are the activities that needed a retry. On a machine
 * starved of CPU the server loses some activity tasks between matching and a worker's poll: History
 * records the start after Matching's one-second sync-match deadline, so the task counts as started
 * but no worker gets it (temporalio/temporal#11733). Only its start-to-close timeout retries it,
 * which is why the release's short steps have one minute, not ten (src/workflows/release.ts).
 */
import { driveLoad } from '../../bench/load/drive';
import { openClusterTest, type ClusterTest } from './cluster-fixtures';
import { retriedActivities } from './cluster-releases';

const RELEASES = 200;

describe(`${RELEASES} concurrent releases on two workers and the PostgreSQL-backed Temporal server`, () => {
  let t: ClusterTest;
  beforeAll(async () => {
    t = await openClusterTest();
  }, 600_000);
  afterAll(async () => t?.close(), 120_000);

  it('all run to completion and are promoted, each registered once, with both workers taking part: none lost, none stuck', async () => {
    const { env, temporal } = t.cluster;
    const target = { client: t.client, taskQueue: env.MLGATE_TASK_QUEUE, dataDir: env.MLGATE_DATA_DIR, temporalPid: temporal.child.pid, workerPid: undefined, workerMemoryPeak: async () => null };
    const r = await driveLoad(target, { releases: RELEASES, timeoutMs: 30 * 60_000, idPrefix: 'release-scaleout', shape: { workers: 2, temporal: 'server v1.30.6 on PostgreSQL' } });
    console.log(`scale-out load: ${RELEASES} releases in ${r.wallSeconds} s (${r.releasesPerMinute}/min) on 2 workers, completion p50 ${r.completionSeconds.p50} s, p95 ${r.completionSeconds.p95} s, max ${r.completionSeconds.max} s, workflow-task wait p95 ${r.workflowTaskWaitMs.p95} ms`);
    const ids: string[] = [];
    for await (const e of t.client.workflow.list({ query: "WorkflowType = 'releaseWorkflow' OR WorkflowType = 'rolloutWorkflow'" })) ids.push(e.workflowId);
    const retried = await retriedActivities(t.client, ids);
    console.log(`scale-out load: ${retried.length} activities needed a retry${retried.map((a) => `\n  ${a.workflowId} ${a.activity} attempt ${a.attempt} on ${a.identity}: ${a.lastFailure}`).join('')}`);

    expect({ outcomes: r.outcomes, notPromoted: r.notPromoted, lost: r.lost, stuck: r.stuck, stillRunningAfter: r.stillRunningAfter })
      .toEqual({ outcomes: { promoted: RELEASES }, notPromoted: [], lost: 0, stuck: 0, stillRunningAfter: 0 });
    const registry = t.registry();
    const versions = await Promise.all(Array.from({ length: RELEASES }, (_, i) => registry.listVersions(`load-${i}`)));
    expect(versions.map((v) => v.length)).toEqual(Array(RELEASES).fill(1));
    // Both workers completed workflow tasks: the load was spread, not run by one while the other idled.
    const workerPids = new Set(t.cluster.workers.map((w) => String(w.child.pid)));
    const identities = new Set<string>();
    for await (const e of t.client.workflow.list({ query: "WorkflowType = 'releaseWorkflow'" })) {
      if (identities.size >= workerPids.size) break;
      const events = (await t.client.workflow.getHandle(e.workflowId).fetchHistory()).events ?? [];
      for (const ev of events) {
        const pid = ev.workflowTaskCompletedEventAttributes?.identity?.split('@')[0];
        if (pid && workerPids.has(pid)) identities.add(pid);
      }
    }
    expect(identities).toEqual(workerPids);
  }, 35 * 60_000);
});
