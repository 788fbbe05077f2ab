/**
 * A real release whose rollout reads its windows from a real Prometheus (MLGATE_METRICS_SOURCE=
 * prometheus) scraping the real gateway: an error fault on the canary is detected through PromQL and
 * rolls the release back by itself, restoring routing; the healthy champion stays.
 */
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { adminOf, aliasesOf, CANDIDATE_TRAINER, flowingTraffic, promoteChampion, routingOf, statusOf, stopAllTraffic } from '../rollout/rollout-fixtures';

describe('a rollout judged on Prometheus metrics', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv({ prometheus: true });
  }, 180_000);
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  /** How many PromQL queries Prometheus answered (its own counter): the worker's windows go through it. */
  async function queriesAnswered(): Promise<number> {
    const text = await (await fetch(`${env.prometheusUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('prometheus_http_requests_total{code="200",handler="/api/v1/query"}'));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  it('rolls back a canary that fails half its requests, detected through Prometheus, and restores routing', async () => {
    const model = unique('promrb');
    const before = await queriesAnswered();
    const champion = await promoteChampion(env, model);
    const spec = creditSpec(model, { trainer: CANDIDATE_TRAINER, strategy: { kind: 'canary', steps: [50, 100], stepBake: '30s', postPromotionWatch: '1s' } });
    const handle = await env.startRelease(spec);
    const gated = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
    const candidate = gated.artifactId!;
    const traffic = flowingTraffic(env, model);
    await env.decide(handle, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.version === candidate && r.candidate.weight === 50);
    await adminOf(env).injectFault({ model, version: candidate, errorRate: 0.5 });
    const result = await handle.result();
    const stats = await traffic.stop();
    await adminOf(env).clearFaults(model);
    const status = await statusOf(handle);
    expect(result.outcome).toBe('rolled_back');
    // Six queries per window; the rollout read many windows while it judged the canary.
    expect(await queriesAnswered() - before).toBeGreaterThanOrEqual(6 * 3);
    expect(stats.versions[candidate]).toBeGreaterThan(0);
    expect(status.rollback?.reason).toMatch(/error rate/);
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
  });
});
