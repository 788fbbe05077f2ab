/**
 * The gateway (the metrics source) goes down in the middle of a canary. "Could not measure" is an
 * `error`, never `inconclusive` and never `pass`: a short outage, under `slo.consecutiveErrorLimit`,
 * is ridden out and the healthy release goes on to its promote gate; an outage past the limit applies
 * `slo.onMetricsError`, here `rollback`, whose routing change is retried until the gateway is back.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { renderStatus } from '../../../src/cli/render-status';
import { aliasesOf, CANDIDATE_TRAINER, flowingTraffic, promoteChampion, rollbackAnalysis, routingOf, statusOf, stopAllTraffic } from '../rollout/rollout-fixtures';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(300_000);

/** The running watch's last heartbeat as the server has it (heartbeats reach it throttled); the rollout runs in the release. */
async function watchHeartbeat(env: ReleaseEnv, release: WorkflowHandle): Promise<{ consecutiveErrors?: number; verdict?: string } | undefined> {
  const d = await release.describe();
  const payload = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'watchRollout')?.heartbeatDetails?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
}

describe('a gateway outage during a rollout', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  it('rides out a short metrics outage under the error limit: the healthy release is not rolled back and reaches its promote gate', async () => {
    const model = unique('blip');
    await promoteChampion(env, model);
    const spec = creditSpec(model, {
      trainer: CANDIDATE_TRAINER,
      strategy: { kind: 'canary', steps: [50], stepBake: '40s', postPromotionWatch: '1s' },
      // onInconclusive: rollback is the policy that used to roll this release back on a metrics outage.
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '3s', onInconclusive: 'rollback', onMetricsError: 'rollback', consecutiveErrorLimit: 10, maxPredictionPsi: 50 },
    });
    const handle = await env.startRelease(spec);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await env.stopGateway();
    // The outage lasts until the watch has reported a failed measurement: a condition, not a stretch of time.
    await waitForStage(() => watchHeartbeat(env, handle), (h) => (h?.consecutiveErrors ?? 0) >= 1, 60_000);
    await env.startGateway();
    const traffic = flowingTraffic(env, model);
    const atGate = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 120_000);
    await traffic.stop();
    expect(atGate.stage).toBe('awaiting_promote_approval');
    expect(atGate.rollback).toBeUndefined();
    expect(atGate.evidence.canary?.steps.map((s) => s.verdict)).toEqual(['pass']);
    await env.decide(handle, 'promote', 'bob@example.com');
    expect((await handle.result()).outcome).toBe('promoted');
  });

  it('applies onMetricsError once more measurements in a row fail than the limit allows: an error verdict and the rollback, never a promotion', async () => {
    const model = unique('outage');
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, {
      trainer: CANDIDATE_TRAINER,
      strategy: { kind: 'canary', steps: [50, 100], stepBake: '20s', postPromotionWatch: '1s' },
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '60s', onInconclusive: 'hold', onMetricsError: 'rollback', consecutiveErrorLimit: 2, metricsErrorInterval: '500ms', maxPredictionPsi: 50 },
    });
    const handle = await env.startRelease(spec);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await traffic.stop();
    await env.stopGateway();
    // Three failed measurements in a row end the step with `error`; the rollback starts and keeps retrying.
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'rolling_back', 60_000);
    await env.startGateway();
    const result = await handle.result();
    expectOutcome(result, 'rolled_back');
    const status = await statusOf(handle);
    expect(status.timeline.map((t) => t.stage)).not.toContain('promoting');
    expect(status.evidence.canary?.steps.at(-1)?.verdict).toBe('error');
    const analysis = rollbackAnalysis(status);
    expect(analysis.verdict).toBe('error');
    expect(analysis.checks).toEqual([expect.objectContaining({ name: 'metrics-source', verdict: 'error' })]);
    expect(status.rollback?.reason).toMatch(/metrics unavailable.*3 failed measurements in a row, limit 2/);
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
  });

  it('by default holds a release whose metrics stayed unreachable past the limit for a human at the promote gate, and mlgate status says why', async () => {
    const model = unique('held');
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, {
      trainer: CANDIDATE_TRAINER,
      strategy: { kind: 'canary', steps: [50], stepBake: '20s', postPromotionWatch: '1s' },
      // onMetricsError is left at its default (hold); onInconclusive: rollback must not decide a metrics error.
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '60s', onInconclusive: 'rollback', consecutiveErrorLimit: 1, metricsErrorInterval: '300ms', maxPredictionPsi: 50 },
    });
    const handle = await env.startRelease(spec);
    await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await env.stopGateway();
    const held = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 90_000);
    await env.startGateway();
    expect(held.stage).toBe('awaiting_promote_approval');
    expect(held.rollback).toBeUndefined();
    expect(held.reasons.join(' ')).toMatch(/rollout could not be measured \(metrics error\), held for a human: 50% step: metrics unavailable/);
    expect(renderStatus(held)).toContain('rollout step 50%: error (could not measure: metrics source unavailable)');
    // The human decides: here, no.
    await env.decide(handle, 'promote', 'bob@example.com', 'reject');
    expect((await handle.result()).outcome).toBe('rejected_at_gate');
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
  });
});
