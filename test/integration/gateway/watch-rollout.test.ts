/**
 * The watch activity against a real gateway with real open-loop traffic. MockActivityEnvironment
 * only supplies the heartbeat and cancellation context.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { CancelledFailure } from '@temporalio/activity';
import { SloSpecSchema } from '../../../src/domain/spec';
import { createRolloutActivities } from '../../../src/activities/rollout';
import { createGatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import { runTraffic } from '../../../src/traffic';
import type { MetricsSource } from '../../../src/ports/metrics-source';
import { MODEL, ROWS, TOKEN, startTestGateway, type TestGateway } from './fixtures';

let gw: TestGateway;
beforeEach(async () => {
  gw = await startTestGateway({ faultInjection: true });
  await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 50 } });
});
afterEach(async () => {
  await gw.close();
});

const slo = SloSpecSchema.parse({ minSamples: 40, maxP99LatencyMs: 100, maxPredictionPsi: 5 });
const watchInput = { model: MODEL, candidateVersion: 'v-candidate', stableVersion: 'v-stable', mode: 'canary' as const, slo, pollMs: 100 };

/** env.run loses the return type; this keeps it. */
function runIn<A, R>(env: MockActivityEnvironment, fn: (a: A) => Promise<R>, arg: A): Promise<R> {
  return env.run(fn, arg) as Promise<R>;
}

/** Traffic until the watch under test has decided, however long a busy machine takes. */
function flowingTraffic() {
  const abort = new AbortController();
  const running = runTraffic({ gatewayUrl: gw.url, model: MODEL, rows: ROWS, rps: 100, durationMs: 120_000, signal: abort.signal });
  return { stop: () => (abort.abort(), running) };
}

function activities(target = gw) {
  return createRolloutActivities({ deploymentTarget: target.admin, metricsSource: target.admin });
}

describe('watchRollout', () => {
  it('returns fail long before the bake ends when the candidate gets an injected latency fault', async () => {
    await gw.admin.injectFault({ model: MODEL, version: 'v-candidate', latencyMs: 200 });
    const env = new MockActivityEnvironment();
    const traffic = flowingTraffic();
    const result = await runIn(env, activities().watchRollout, { ...watchInput, bakeMs: 60_000, inconclusiveAfterMs: 60_000 });
    await traffic.stop();
    expect(result.verdict).toBe('fail');
    expect(result.elapsedMs).toBeLessThan(60_000);
    expect(result.evidence.checks.find((c) => c.name === 'p99-latency')?.verdict).toBe('fail');
    expect(result.reason).toMatch(/p99/);
    expect(result.samples.at(-1)?.candidateP99).toBeGreaterThan(100);
  });

  it('returns pass at the end of the bake for healthy traffic, heartbeating on the way', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const traffic = flowingTraffic();
    const result = await runIn(env, activities().watchRollout, { ...watchInput, bakeMs: 2000, inconclusiveAfterMs: 20_000 });
    await traffic.stop();
    expect(result.verdict).toBe('pass');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(result.evidence.checks.every((c) => c.verdict === 'pass')).toBe(true);
    // How many beats fit into the bake depends on the machine's load; that there are beats does not.
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.at(-1)).toMatchObject({ verdict: 'pass' });
    expect(result.samples.length).toBeGreaterThan(0);
    expect(result.samples.length).toBeLessThanOrEqual(24);
  });

  it('returns inconclusive when no traffic arrives before inconclusiveAfterMs', async () => {
    const env = new MockActivityEnvironment();
    const result = await runIn(env, activities().watchRollout, { ...watchInput, bakeMs: 500, inconclusiveAfterMs: 1000 });
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/no metrics for this version/);
  });

  it('reports an unreachable metrics source as an error, neither inconclusive nor a breach, once more measurements in a row fail than the limit allows', async () => {
    const adminUrl = gw.adminUrl;
    await gw.gateway.stop();
    const admin = createGatewayAdmin({ adminUrl, token: TOKEN, timeoutMs: 500 });
    const acts = createRolloutActivities({ deploymentTarget: admin, metricsSource: admin });
    const limited = SloSpecSchema.parse({ ...slo, consecutiveErrorLimit: 2, metricsErrorInterval: '100ms' });
    // inconclusiveAfterMs is far away: the error limit, not the clock, ends this watch.
    const result = await runIn(new MockActivityEnvironment(), acts.watchRollout, { ...watchInput, slo: limited, bakeMs: 300, inconclusiveAfterMs: 120_000 });
    expect(result.verdict).toBe('error');
    expect(result.reason).toMatch(/metrics unavailable: gateway metrics unreachable.*\(3 failed measurements in a row, limit 2\)/);
    expect(result.metricsErrors).toBe(3);
    expect(result.evidence.checks).toEqual([expect.objectContaining({ name: 'metrics-source', verdict: 'error' })]);
    await gw.restart(); // afterEach stops it again
  });

  it('rides out a metrics outage shorter than the error limit and judges the step on the metrics once they are back', async () => {
    await gw.gateway.stop();
    const tolerant = SloSpecSchema.parse({ ...slo, consecutiveErrorLimit: 100, metricsErrorInterval: '200ms' });
    const env = new MockActivityEnvironment();
    let back: Promise<{ stop: () => Promise<unknown> }> | undefined;
    // The outage lasts until the watch has seen two failed measurements in a row: a condition, not a stretch of time.
    env.on('heartbeat', (d: { consecutiveErrors?: number }) => {
      if (!back && (d.consecutiveErrors ?? 0) >= 2) back = gw.restart().then(() => flowingTraffic());
    });
    // The restarted gateway listens on new ports: read the metrics through whichever admin client is current.
    const following: MetricsSource = { window: (model, q) => gw.admin.window(model, q) };
    const acts = createRolloutActivities({ deploymentTarget: gw.admin, metricsSource: following });
    const result = await runIn(env, acts.watchRollout, { ...watchInput, slo: tolerant, bakeMs: 2000, inconclusiveAfterMs: 60_000 });
    await (await back)?.stop();
    expect(back).toBeDefined();
    expect(result.verdict).toBe('pass');
    expect(result.metricsErrors).toBeGreaterThanOrEqual(2);
  });

  it('resumes the step window from the last heartbeat when the activity is retried', async () => {
    const startedAt = Date.now() - 5000;
    const env = new MockActivityEnvironment({ heartbeatDetails: { startedAt } });
    const result = await runIn(env, activities().watchRollout, { ...watchInput, bakeMs: 3000, inconclusiveAfterMs: 4000 });
    // The bake and the inconclusive deadline already passed in the earlier attempt: one poll decides.
    expect(result.verdict).toBe('inconclusive');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(5000);
  });

  it('stops with a cancellation when the activity is cancelled', async () => {
    const env = new MockActivityEnvironment();
    const run = runIn(env, activities().watchRollout, { ...watchInput, bakeMs: 60_000, inconclusiveAfterMs: 60_000 });
    setTimeout(() => env.cancel(), 300);
    await expect(run).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('rejects a malformed watch input as a non-retryable InvalidInput', async () => {
    const env = new MockActivityEnvironment();
    await expect(runIn(env, activities().watchRollout, { ...watchInput, bakeMs: -1, inconclusiveAfterMs: 1000 })).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringMatching(/bakeMs/) });
  });
});

describe('setRouting', () => {
  it('applies a routing idempotently, and puts the previous one back without a generation check', async () => {
    const acts = activities();
    const before = await gw.admin.getRouting(MODEL);
    const shadow = { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'shadow' as const, weight: 0 } };
    const a = await runIn(new MockActivityEnvironment(), acts.setRouting, { model: MODEL, routing: shadow });
    const b = await runIn(new MockActivityEnvironment(), acts.setRouting, { model: MODEL, routing: shadow });
    expect(b.generation).toBe(a.generation);
    const restored = await runIn(new MockActivityEnvironment(), acts.setRouting, { model: MODEL, routing: { stable: before!.stable, candidate: before!.candidate } });
    expect(restored.candidate).toEqual(before!.candidate);
  });

  it('turns a stale expectedGeneration into a non-retryable DeploymentFailed', async () => {
    const acts = activities();
    await expect(runIn(new MockActivityEnvironment(), acts.setRouting, { model: MODEL, routing: { stable: { version: 'v-inverted' } }, expectedGeneration: 99 })).rejects.toMatchObject({ type: 'DeploymentFailed', nonRetryable: true });
  });

  it('turns a routing the gateway refuses (bad model id) into a non-retryable DeploymentFailed', async () => {
    const acts = activities();
    await expect(runIn(new MockActivityEnvironment(), acts.setRouting, { model: 'Not_Valid', routing: { stable: { version: 'v-stable' } } })).rejects.toMatchObject({ type: 'DeploymentFailed', nonRetryable: true, message: expect.stringMatching(/params\.model: model ids use lowercase/) });
  });
});
