/**
 * The gateway goes down in the middle of a canary: the metrics source is unreachable, so the
 * analysis is inconclusive (never pass), the policy's rollback runs, and its routing change is
 * retried until the gateway is back. The release never promotes the unproven candidate.
 */
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { aliasesOf, CANDIDATE_TRAINER, flowingTraffic, promoteChampion, rollbackAnalysis, routingOf, statusOf, stopAllTraffic } from '../rollout/rollout-fixtures';

describe('a gateway outage during a rollout', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  it('yields an inconclusive verdict and the policy rollback, never a promotion, and restores routing once the gateway is back', async () => {
    const model = unique('outage');
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, {
      trainer: CANDIDATE_TRAINER,
      strategy: { kind: 'canary', steps: [50, 100], stepBake: '20s', postPromotionWatch: '1s' },
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '3s', onInconclusive: 'rollback', maxPredictionPsi: 50 },
    });
    const handle = await env.startRelease(spec);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await traffic.stop();
    await env.stopGateway();
    // The watch cannot reach the metrics; after inconclusiveAfter the rollback starts and keeps retrying.
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'rolling_back', 60_000);
    await env.startGateway();
    const result = await handle.result();
    expect(result.outcome).toBe('rolled_back');
    const status = await statusOf(handle);
    expect(status.timeline.map((t) => t.stage)).not.toContain('promoting');
    const analysis = rollbackAnalysis(status);
    expect(analysis.verdict).toBe('inconclusive');
    expect(analysis.reasons.join(' ')).toMatch(/metrics unavailable/);
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
  });
});
