import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../../../src/workflows/messages';
import type { Routing } from '../../../src/domain/routing';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(300_000);

describe('release workflow on a real Temporal server, gateway, SMTP and SQLite', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => env?.close());

  const aliases = (model: string) => env.opened.deps.pipeline.registry.getAliases(model);
  const routing = async (model: string) => (await (await fetch(`${env.gatewayAdminUrl}/admin/models/${model}/routing`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as Routing;

  /** Runs a release through both gates with traffic flowing, and returns its result. */
  async function promoteThrough(model: string, spec = creditSpec(model)) {
    const handle = await env.startRelease(spec);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 120_000);
    await env.decide(handle, 'promote', 'bob@example.com');
    const result = await handle.result();
    await traffic.stop();
    return { handle, result };
  }

  it('carries a first release from spec to promotion when both gates are approved through the update', async () => {
    const model = unique('credit');
    const { handle, result } = await promoteThrough(model);
    expectOutcome(result, 'promoted');
    expect((await aliases(model)).champion).toBe(result.artifactId);
    expect((await routing(model)).stable?.version).toBe(result.artifactId);
    const status = await handle.query(statusQuery);
    expect(status.timeline.map((t) => t.stage)).toEqual(expect.arrayContaining(['snapshot', 'train', 'evaluate', 'register', 'awaiting_deploy_approval', 'rollout', 'awaiting_promote_approval', 'promoting', 'post_promotion_watch', 'done']));
    expect(status.gates.map((g) => [g.gate, g.status, g.decisions[0]?.approver])).toEqual([['deploy', 'approved', 'alice@example.com'], ['promote', 'approved', 'bob@example.com']]);
    expect(status.evidence.offline.metrics.auc).toBeGreaterThan(0.6);
    // The approvers were mailed when each gate opened.
    const mails = env.mail.messages().filter((m) => m.subject.includes(handle.workflowId));
    expect(mails.map((m) => m.to).flat()).toEqual(expect.arrayContaining(['alice@example.com', 'bob@example.com']));
  });

  it('ends as rejected_offline with the reasons and deploys nothing when the offline gate fails', async () => {
    const model = unique('credit');
    const handle = await env.startRelease(creditSpec(model, { offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.999 }] } }));
    const result = await handle.result();
    expectOutcome(result, 'rejected_offline');
    expect(result.reasons.join(' ')).toMatch(/auc/);
    expect(await aliases(model)).toEqual({ champion: null, previous: null, candidate: null });
    const r = await fetch(`${env.gatewayAdminUrl}/admin/models/${model}/routing`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r.status).toBe(404);
  });

  it('rolls routing and aliases back to the champion when the promote gate rejects', async () => {
    const model = unique('credit');
    const first = await promoteThrough(model);
    // A shorter-trained candidate shifts its scores; this test is about the gate, not prediction drift.
    const handle = await env.startRelease(creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 60, learningRate: 0.2 }, seed: 11 }, slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', maxPredictionPsi: 50 } }));
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval', 120_000);
    expect((await aliases(model)).candidate).not.toBeNull();
    await env.decide(handle, 'promote', 'bob@example.com', 'reject');
    const result = await handle.result();
    await traffic.stop();
    expectOutcome(result, 'rejected_at_gate');
    expect(await aliases(model)).toMatchObject({ champion: first.result.artifactId, candidate: null });
    const r = await routing(model);
    expect(r.stable?.version).toBe(first.result.artifactId);
    expect(r.candidate).toBeUndefined();
    const status = await handle.query(statusQuery);
    expect(status.rollback?.reason).toMatch(/rejected by bob@example.com/);
  });

  it('runs the rollback when a release is cancelled mid-rollout, and ends cancelled', async () => {
    const model = unique('credit');
    const first = await promoteThrough(model);
    const spec = creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 60 }, seed: 12 }, strategy: { kind: 'canary', steps: [50, 100], stepBake: '30s', postPromotionWatch: '1s' }, slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '40s', maxPredictionPsi: 50 } });
    const handle = await env.startRelease(spec);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'rollout');
    await waitForStage(() => routing(model), (r) => r.candidate?.weight === 50);
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const r = await routing(model);
    expect(r.stable?.version).toBe(first.result.artifactId);
    expect(r.candidate).toBeUndefined();
    expect((await aliases(model)).candidate).toBeNull();
    const status = await handle.query(statusQuery);
    expectOutcome(status, 'cancelled');
    expect(status.rollback?.reason).toBe('release cancelled');
  });
});
