/**
 * Automatic rollback on real releases: a real Temporal server, the real gateway with fault
 * injection, open-loop traffic through it, and the real registry. Each test promotes its own
 * champion first, so the canary has a stable version to fall back to.
 */
import type { ModelSpecInput } from '../../../src/domain/spec';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { aliasesOf, failingChecks, faultyCanary as faultyCanaryIn, flowingTraffic, promoteChampion, rollbackAnalysis, routingOf, statusOf, stopAllTraffic } from './rollout-fixtures';
import { expectOutcome } from '../../helpers/outcome';

describe('automatic rollback of a real release', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  const faultyCanary = (model: string, fault: { latencyMs?: number; errorRate?: number }) => faultyCanaryIn(env, model, fault);

  it('rolls back to the champion by itself when the canary gets slow, naming the failing latency check', async () => {
    const model = unique('lat');
    const { champion, candidate, result, stats, status } = await faultyCanary(model, { latencyMs: 300 });
    expectOutcome(result, 'rolled_back');
    expect(stats.versions[candidate]).toBeGreaterThan(0); // the canary really served before it was pulled
    expect(await routingOf(env, model)).toMatchObject({ stable: { version: champion } });
    expect((await routingOf(env, model))?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
    // 300 ms is under the 500 ms absolute limit, so only the comparison with the stable p99 can catch it.
    expect(failingChecks(rollbackAnalysis(status))).toContain('p99-latency-ratio');
    expect(failingChecks(rollbackAnalysis(status))).not.toContain('p99-latency');
    expect(failingChecks(rollbackAnalysis(status)).some((name) => name.startsWith('error-rate'))).toBe(false);
    expect(status.rollback?.reason).toMatch(/^50% step: candidate p99/);
    expect(status.timeline.map((t) => t.stage)).not.toContain('awaiting_promote_approval');
  });

  it('rolls back to the champion by itself when the canary starts failing requests, naming the error-rate check', async () => {
    const model = unique('err');
    const { champion, candidate, result, stats, status } = await faultyCanary(model, { errorRate: 0.5 });
    expectOutcome(result, 'rolled_back');
    expect(stats.statusCodes['500']).toBeGreaterThan(0);
    expect(stats.versions[candidate]).toBeGreaterThan(0);
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
    // Either error check may cross first: the watch rolls back at the first poll that sees one fail
    // (with the adaptive pace, often before the other has crossed), so the test names the family.
    expect(failingChecks(rollbackAnalysis(status)).filter((name) => ['error-rate', 'error-rate-increase'].includes(name)).length).toBeGreaterThan(0);
    expect(failingChecks(rollbackAnalysis(status)).some((name) => name.startsWith('p99'))).toBe(false);
    expect(status.rollback?.reason).toMatch(/candidate error rate/);
  });

  it('rolls back a canary whose score distribution shifts in the middle of its bake, not at its end', async () => {
    const model = unique('shift');
    const champion = await promoteChampion(env, model);
    const bakeSeconds = 120;
    // The strong L2 penalty of the shadow test below: fine latency and errors, but its scores crowd
    // towards the middle, so only the score distribution check can catch it.
    const spec: ModelSpecInput = creditSpec(model, {
      trainer: { kind: 'builtin', params: { epochs: 120, learningRate: 0.2, l2: 1 }, seed: 7 },
      strategy: { kind: 'canary', steps: [50, 100], stepBake: `${bakeSeconds}s`, postPromotionWatch: '1s' },
    });
    const handle = await env.startRelease(spec);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    const result = await handle.result();
    await traffic.stop();
    expectOutcome(result, 'rolled_back');
    const status = await statusOf(handle);
    expect(failingChecks(rollbackAnalysis(status))).toEqual(['prediction-psi']);
    expect(status.rollback?.reason).toMatch(/^50% step: prediction score PSI/);
    // Judged at every poll now: the 50% step ended on the breach, long before its bake was over.
    const steps = (status.evidence as { canary?: { steps: Array<{ percent: number; verdict: string; samples: Array<{ t: number }> }> } }).canary?.steps ?? [];
    expect(steps.map((s) => [s.percent, s.verdict])).toEqual([[50, 'fail']]);
    expect(Math.max(...steps[0].samples.map((s) => s.t))).toBeLessThan(bakeSeconds);
    expect(await routingOf(env, model)).toMatchObject({ stable: { version: champion } });
  });

  it('rejects a shadow candidate that disagrees with the champion without any caller seeing its answers', async () => {
    const model = unique('shadow');
    const champion = await promoteChampion(env, model);
    // A strong L2 penalty collapses the candidate towards the majority class: it still ranks well
    // offline (AUC), but its labels disagree with the champion on about 30% of rows.
    const spec: ModelSpecInput = creditSpec(model, {
      trainer: { kind: 'builtin', params: { epochs: 120, learningRate: 0.2, l2: 1 }, seed: 7 },
      strategy: { kind: 'shadow', sampleRate: 1, bake: '20s', postPromotionWatch: '1s' },
      // Its score distribution moves too; the PSI limit is lifted so that the comparison of the mirrored
      // answers, the thing under test, is what rejects it (otherwise the first check to reach significance wins).
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', onInconclusive: 'rollback', maxPredictionPsi: 100 },
    });
    const handle = await env.startRelease(spec);
    const gated = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    const result = await handle.result();
    const stats = await traffic.stop();
    expectOutcome(result, 'rolled_back');
    // Every answer came from the champion, all of them successful: the mirror never reached a caller.
    expect(Object.keys(stats.versions)).toEqual([champion]);
    expect(stats.statusCodes).toEqual({ 200: stats.sent });
    const status = await statusOf(handle);
    expect(failingChecks(rollbackAnalysis(status))).toEqual(['shadow-agreement']);
    const agreement = rollbackAnalysis(status).checks.find((c) => c.name === 'shadow-agreement');
    expect(agreement?.observed).toBeLessThan(0.9);
    expect(status.rollback?.reason).toMatch(/^shadow: /);
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
    expect(gated.artifactId).not.toBe(champion);
  });
});
