/**
 * Releases on the local scale-out topology (src/cluster/topology.ts, started once for this file): a
 * real Temporal server on PostgreSQL, mlgate's state in that PostgreSQL, Prometheus scraping two
 * gateway processes, two worker processes. Traffic goes through both gateways. The tests run in
 * order and leave their faults behind: a PostgreSQL restart, then one worker killed, then one
 * gateway killed; each later test runs on what is left. Every wait is on a condition.
 */
import { waitForStage } from '../helpers/release-env';
import { unique } from '../helpers/temporal';
import { failingChecks, rollbackAnalysis } from '../integration/rollout/rollout-fixtures';
import { ALICE, openClusterTest, type ClusterTest, type SpreadTraffic } from './cluster-fixtures';
import { candidateSpec, canaryOnEveryReplica, lastWorkflowTaskPid, promoteChampion } from './cluster-releases';
import { expectOutcome } from '../helpers/outcome';

describe('releases on two workers and two gateways, Temporal and state in PostgreSQL, metrics from Prometheus', () => {
  let t: ClusterTest;
  let traffic: SpreadTraffic | undefined;
  beforeAll(async () => {
    t = await openClusterTest();
  }, 600_000);
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });
  afterAll(async () => t?.close(), 120_000);

  /** Both replicas route `model` to `version` alone. */
  const stableEverywhere = (model: string, version: string, replicas = t.cluster.gateways) =>
    waitForStage(() => Promise.all(replicas.map((gw) => t.routing(gw, model))), (rs) => rs.every((r) => r?.stable?.version === version && !r.candidate), 120_000);

  it('rolls back a canary that is slow on both gateways, detected through Prometheus, and both replicas route to the champion again', async () => {
    const model = unique('so-latency');
    traffic = t.traffic(model);
    const champion = await promoteChampion(t, model);
    const h = await t.startRelease(candidateSpec(model, { riskClass: 'medium', strategy: { kind: 'canary', steps: [50, 100], stepBake: '60s', postPromotionWatch: '2s' } }));
    const gated = await waitForStage(() => t.status(h), (s) => s.stage === 'awaiting_deploy_approval', 300_000);
    const candidate = gated.artifactId!;
    for (const gw of t.cluster.gateways) await t.admin(gw).injectFault({ model, version: candidate, latencyMs: 800 });
    await t.decide(h, 'deploy', ALICE);
    const result = await h.result();
    const stats = await traffic.stop();
    expectOutcome(result, 'rolled_back');
    expect(failingChecks(rollbackAnalysis(await t.status(h)))).toContainEqual(expect.stringMatching(/latency/));
    // The canary was live on both replicas: each answered with the candidate.
    expect(stats.map((s) => (s.versions[candidate] ?? 0) > 0)).toEqual([true, true]);
    await stableEverywhere(model, champion);
    expect(await t.registry().getAliases(model)).toMatchObject({ champion, candidate: null });
  });

  it('finishes a release across a PostgreSQL restart in its canary: promoted, registered once, routed on both replicas', async () => {
    const model = unique('so-pg-restart');
    traffic = t.traffic(model);
    const champion = await promoteChampion(t, model);
    const h = await t.startRelease(candidateSpec(model));
    const candidate = await canaryOnEveryReplica(t, model, 50);
    await t.cluster.postgres.restart();
    const result = await h.result();
    expectOutcome(result, 'promoted');
    expect(result.artifactId).toBe(candidate);
    await stableEverywhere(model, candidate);
    const registry = t.registry();
    expect(await registry.getAliases(model)).toMatchObject({ champion: candidate });
    expect((await registry.listVersions(model)).map((v) => v.artifactId).sort()).toEqual([champion, candidate].sort());
    const moves = (await registry.aliasHistory(model)).map((c) => `${c.alias}:${c.from}->${c.to}`);
    expect(moves).toEqual([...new Set(moves)]);
    expect(moves).toContain(`champion:${champion}->${candidate}`);
  });

  it('finishes a release on the other worker after kill -9 of the worker that ran its canary', async () => {
    const model = unique('so-worker-kill');
    traffic = t.traffic(model);
    const champion = await promoteChampion(t, model);
    const h = await t.startRelease(candidateSpec(model));
    const candidate = await canaryOnEveryReplica(t, model, 50);
    const pid = await lastWorkflowTaskPid(h);
    const victim = t.cluster.workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    const survivor = t.cluster.workers.find((w) => w !== victim)!;
    await victim!.kill();
    const result = await h.result();
    expectOutcome(result, 'promoted');
    expect(result.artifactId).toBe(candidate);
    expect(await lastWorkflowTaskPid(h)).toBe(survivor.child.pid);
    await stableEverywhere(model, candidate);
    expect(await t.registry().getAliases(model)).toMatchObject({ champion: candidate });
    expect((await t.registry().listVersions(model)).map((v) => v.artifactId).sort()).toEqual([champion, candidate].sort());
  });

  it('keeps serving through the other gateway after kill -9 of one gateway mid-canary, and the release completes', async () => {
    const model = unique('so-gateway-kill');
    traffic = t.traffic(model);
    await promoteChampion(t, model);
    const h = await t.startRelease(candidateSpec(model));
    const candidate = await canaryOnEveryReplica(t, model, 50);
    // The second replica: the workers move routing through the first one's admin API (no load balancer locally).
    const [kept, killed] = t.cluster.gateways;
    await killed.process.kill();
    const okAtKill = traffic.live[0].ok;
    const result = await h.result();
    expectOutcome(result, 'promoted');
    expect(result.artifactId).toBe(candidate);
    // Traffic went on through the kept replica: it answered more after the kill, and with the promoted version.
    const kept2 = await waitForStage(async () => traffic!.live[0], (s) => s.ok > okAtKill + 50 && (s.versions[candidate] ?? 0) > 0, 120_000);
    expect(kept2.ok).toBeGreaterThan(okAtKill);
    await stableEverywhere(model, candidate, [kept]);
    expect(await t.routing(killed, model)).toBeNull();
  });
});
