/**
 * A real release whose rollout reads its windows from a real Prometheus (MLGATE_METRICS_SOURCE=
 * prometheus) scraping the real gateway: an error fault on the canary is detected through PromQL and
 * rolls the release back by itself, restoring routing; the healthy champion stays.
 */
import { openReleaseEnv, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { aliasesOf, faultyCanary, routingOf, stopAllTraffic } from '../rollout/rollout-fixtures';
import { expectOutcome } from '../../helpers/outcome';

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
    const { champion, candidate, result, stats, status } = await faultyCanary(env, model, { errorRate: 0.5 }, '30s');
    expectOutcome(result, 'rolled_back');
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
