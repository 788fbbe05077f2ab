/**
 * Rollouts under adverse conditions on a real release: the gateway restarting mid-canary, and a
 * canary that gets no traffic at all (inconclusive, never pass), under both `onInconclusive` policies.
 */
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { aliasesOf, CANDIDATE_TRAINER, flowingTraffic, promoteChampion, rollbackAnalysis, routingOf, statusOf, stopAllTraffic } from './rollout-fixtures';
import { expectOutcome } from '../../helpers/outcome';

describe('rollouts that lose their gateway or get no traffic', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  it('keeps routing through a gateway restart mid-canary and promotes the candidate afterwards', async () => {
    const model = unique('restart');
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, { trainer: CANDIDATE_TRAINER, strategy: { kind: 'canary', steps: [50, 100], stepBake: '2500ms', postPromotionWatch: '1s' } });
    const handle = await env.startRelease(spec);
    const candidate = (await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval')).artifactId!;
    const before = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    const midCanary = await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await env.restartGateway();
    // The new process read routing.json back: same split, same generation, nothing re-applied.
    expect(await routingOf(env, model)).toEqual(midCanary);
    await before.stop();
    const after = flowingTraffic(env, model);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done');
    await env.decide(handle, 'promote', 'bob@example.com');
    const result = await handle.result();
    const stats = await after.stop();
    expectOutcome(result, 'promoted');
    // After the restart both versions kept answering, so the canary was judged on fresh evidence.
    expect(stats.versions[candidate]).toBeGreaterThan(0);
    expect(stats.versions[champion]).toBeGreaterThan(0);
    expect((await statusOf(handle)).evidence.canary?.steps.map((s) => [s.percent, s.verdict])).toEqual([[50, 'pass'], [100, 'pass']]);
    expect(await aliasesOf(env, model)).toMatchObject({ champion: candidate, previous: champion, candidate: null });
    expect((await routingOf(env, model))?.stable?.version).toBe(candidate);
  });

  it('rolls back a release whose canary got no traffic at all when the policy says rollback, with the inconclusive evidence', async () => {
    const model = unique('quiet');
    const handle = await env.startRelease(creditSpec(model, { slo: { minSamples: 30, inconclusiveAfter: '2s', onInconclusive: 'rollback' } }));
    const candidate = (await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval')).artifactId!;
    await env.decide(handle, 'deploy', 'alice@example.com');
    const result = await handle.result();
    expectOutcome(result, 'rolled_back');
    const status = await statusOf(handle);
    const analysis = rollbackAnalysis(status);
    expect(analysis.verdict).toBe('inconclusive');
    expect(analysis.checks.find((c) => c.name === 'candidate-samples')).toMatchObject({ verdict: 'inconclusive', observed: null });
    expect(status.evidence.canary?.steps.map((s) => s.verdict)).toEqual(['inconclusive']);
    expect(status.timeline.map((t) => t.stage)).not.toContain('promoting');
    // A first release has nothing to fall back to: the model is left serving nothing rather than the unproven candidate.
    const routing = await routingOf(env, model);
    expect(routing?.stable).toBeNull();
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toEqual({ champion: null, previous: null, candidate: null });
    expect(candidate).toBeTruthy();
  });

  it('holds a release whose canary got no traffic at the promote gate with the inconclusive evidence when the policy says hold', async () => {
    const model = unique('hold');
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, { trainer: CANDIDATE_TRAINER, slo: { minSamples: 30, inconclusiveAfter: '2s', onInconclusive: 'hold' } });
    const handle = await env.startRelease(spec);
    const candidate = (await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval')).artifactId!;
    await env.decide(handle, 'deploy', 'alice@example.com');
    const held = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done');
    expect(held.stage).toBe('awaiting_promote_approval');
    expect(held.reasons.join(' ')).toMatch(/rollout inconclusive, held for a human: 50% step: candidate-samples: /);
    expect(held.evidence.canary?.steps.map((s) => [s.percent, s.verdict])).toEqual([[50, 'inconclusive']]);
    // Held, not promoted: the champion is unchanged and the candidate still only has its canary share.
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate });
    expect((await routingOf(env, model))?.candidate).toMatchObject({ version: candidate, weight: 50 });
    // A human rejects the held release: the rollback puts the champion back alone.
    await env.decide(handle, 'promote', 'bob@example.com', 'reject');
    expect((await handle.result()).outcome).toBe('rejected_at_gate');
    expect(await routingOf(env, model)).toMatchObject({ stable: { version: champion } });
    expect((await routingOf(env, model))?.candidate).toBeUndefined();
  });
});
