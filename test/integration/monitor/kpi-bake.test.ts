/**
 * A release whose SLO asks for an online KPI verdict before promotion: it waits on timers at the
 * `kpi_bake` stage until delayed labels arrive through the gateway's feedback endpoint.
 */
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import { statusQuery } from '../../../src/workflows/messages';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(300_000);

describe('KPI bake before promotion, with labels that arrive late', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => env?.close());

  const kpiSpec = (model: string) =>
    creditSpec(model, {
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', kpiBake: { bake: '60s', checkEvery: '300ms', onInconclusive: 'hold' } },
      monitor: { minLabels: 20, minOnlineAccuracy: 0.6 },
    });

  /** Predictions through the real gateway, then their observed outcomes through the feedback endpoint. */
  async function labelPredictions(model: string, agree: boolean): Promise<void> {
    const rows = generateSyntheticCredit({ rows: 30, seed: 7 });
    const res = await fetch(`${env.gatewayUrl}/v1/models/${model}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
    const body = (await res.json()) as { predictionIds: string[]; predictions: Array<{ label: string }> };
    const outcomes = body.predictions.map((p) => (agree ? p.label : p.label === '1' ? '0' : '1'));
    const posted = await fetch(`${env.gatewayUrl}/v1/models/${model}/feedback`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: body.predictionIds.map((predictionId, i) => ({ predictionId, outcome: outcomes[i] })) }),
    });
    expect(posted.status).toBe(200);
  }

  async function toKpiBake(model: string) {
    const handle = await env.startRelease(kpiSpec(model));
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model);
    const waiting = await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'kpi_bake' && s.kpi !== undefined, 120_000);
    await traffic.stop();
    return { handle, waiting };
  }

  it('rolls the candidate back when late labels show its online accuracy below the limit', async () => {
    const model = unique('kpi');
    const { handle, waiting } = await toKpiBake(model);
    expect(waiting.kpi?.verdict).toBe('inconclusive');
    await labelPredictions(model, false);
    const result = await handle.result();
    expectOutcome(result, 'rolled_back');
    const status = await handle.query(statusQuery);
    expect(status.kpi).toMatchObject({ verdict: 'fail', onlineAccuracy: 0 });
    expect(status.rollback?.reason).toMatch(/online KPI fail/);
  });

  it('opens the promote gate once late labels give a passing verdict, and promotes on approval', async () => {
    const model = unique('kpi');
    const { handle } = await toKpiBake(model);
    await labelPredictions(model, true);
    const atGate = await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval', 30_000);
    expect(atGate.kpi).toMatchObject({ verdict: 'pass', onlineAccuracy: 1 });
    await env.decide(handle, 'promote', 'bob@example.com');
    expect((await handle.result()).outcome).toBe('promoted');
  });
});
