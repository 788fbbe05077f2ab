/**
 * Early pass on a real release: a real Temporal server, the real gateway and open-loop traffic. A
 * healthy candidate with `strategy.earlyPass` leaves its canary step as soon as its error rate is
 * shown non-inferior, long before the step's bake is over.
 */
import { buildAuditRecord } from '../../../src/audit';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { CANDIDATE_TRAINER, flowingTraffic, promoteChampion, statusOf, stopAllTraffic } from './rollout-fixtures';

describe('early pass of a canary step', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  it('ends a healthy candidate\'s step once its error rate is shown non-inferior, before the bake is over', async () => {
    const model = unique('early');
    await promoteChampion(env, model);
    const bakeSeconds = 300;
    const handle = await env.startRelease(creditSpec(model, {
      trainer: CANDIDATE_TRAINER,
      strategy: { kind: 'canary', steps: [50], stepBake: `${bakeSeconds}s`, postPromotionWatch: '1s', earlyPass: { errorRateMargin: 0.05, minSamples: 100 } },
    }));
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    const status = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 240_000);
    await traffic.stop();
    expect(status.stage).toBe('awaiting_promote_approval');
    // The rollout ran in the release: its verdict and reason as the audit reads them back from the release's history.
    const { rollout } = await buildAuditRecord({ client: env.client, releaseId: handle.workflowId, refusedAttempts: [] });
    expect(rollout?.workflowId).toBe(handle.workflowId);
    expect(rollout?.verdict).toBe('pass');
    expect(rollout?.reason).toMatch(/^50% step: passed early: every check passes and the candidate's error rate is shown at most the baseline's \+ 0\.05/);
    const steps = status.evidence.canary?.steps ?? [];
    expect(steps.map((x) => [x.percent, x.verdict])).toEqual([[50, 'pass']]);
    expect(Math.max(...steps[0].samples.map((x) => x.t))).toBeLessThan(bakeSeconds);
    await env.decide(handle, 'promote', 'bob@example.com');
    expect((await handle.result()).outcome).toBe('promoted');
  });
});
