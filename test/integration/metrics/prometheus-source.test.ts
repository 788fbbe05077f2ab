/**
 * The Prometheus metrics source on real parts: two real gateways (replicas) with the same routing,
 * a real Prometheus scraping both every second, real traffic to both with a fault on the canary.
 * The window read through PromQL sums the replicas and has the analysis's own bins; Prometheus
 * down is `unavailable`, never a pass.
 */
import { createPrometheusMetricsSource } from '../../../src/adapters/metrics-source/prometheus';
import { SCORE_BINS, LATENCY_BUCKET_BOUNDS_MS } from '../../../src/domain/stats/histogram';
import type { VersionSummary } from '../../../src/domain/analysis/window-summary';
import { MODEL, ROWS, predict, startTestGateway, type TestGateway } from '../gateway/fixtures';
import { startPrometheus, type LocalPrometheus } from '../../../src/prometheus/local-prometheus';

describe('MetricsSource on Prometheus', () => {
  const gateways: TestGateway[] = [];
  let prom: LocalPrometheus;
  let stopTraffic = false;
  let traffic: Promise<number[]> = Promise.resolve([]);

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const gw = await startTestGateway({ faultInjection: true });
      await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-candidate', mode: 'canary', weight: 50 } });
      await gw.admin.injectFault({ model: MODEL, version: 'v-candidate', errorRate: 0.5, latencyMs: 60 });
      gateways.push(gw);
    }
    prom = await startPrometheus(gateways.map((g) => new URL(g.url).host));
  }, 180_000);
  afterAll(async () => {
    stopTraffic = true;
    await traffic;
    await prom?.stop();
    for (const g of gateways) await g.close();
  });

  /** Four callers per replica, 5 rows a call, until told to stop; returns how many calls each replica answered. */
  function flow(): Promise<number[]> {
    return Promise.all(gateways.map(async (g) => {
      let calls = 0;
      await Promise.all(Array.from({ length: 4 }, async (_, k) => {
        for (let i = k; !stopTraffic; i += 4) {
          await predict(g.url, ROWS.slice(i % 45, (i % 45) + 5));
          calls++;
        }
      }));
      return calls;
    }));
  }

  const byVersion = (vs: VersionSummary[]) => Object.fromEntries(vs.map((v) => [v.version, v]));

  it('sums both replicas into one window per version, with the fault on the canary only', async () => {
    const source = createPrometheusMetricsSource({ url: prom.url });
    traffic = flow();
    // Wait on the condition, never on a fixed time: both versions with enough calls in the last 30 s.
    const deadline = Date.now() + 180_000;
    let v: Record<string, VersionSummary> = {};
    while (Date.now() < deadline) {
      const r = await source.window(MODEL, { windowMs: 30_000 });
      if (r.status !== 'ok') throw new Error(`unexpected: ${JSON.stringify(r)}`);
      v = byVersion(r.summary.versions);
      if ((v['v-stable']?.requests ?? 0) >= 300 && (v['v-candidate']?.requests ?? 0) >= 100) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    stopTraffic = true;
    const calls = await traffic;
    expect(calls.every((n) => n > 0)).toBe(true);
    // Settle: read until two reads a scrape apart agree (within increase()'s extrapolation), so Prometheus has every replica's last count.
    const total = (vs: Record<string, VersionSummary>) => Object.values(vs).reduce((n, x) => n + x.requests, 0);
    for (let last = -1; Date.now() < deadline;) {
      await new Promise((res) => setTimeout(res, 2500));
      const r = await source.window(MODEL, { windowMs: 60_000 });
      if (r.status !== 'ok') throw new Error(`unexpected: ${JSON.stringify(r)}`);
      v = byVersion(r.summary.versions);
      if (Math.abs(total(v) - last) <= 0.02 * total(v)) break;
      last = total(v);
    }
    const stable = v['v-stable'];
    const candidate = v['v-candidate'];
    expect(stable.requests).toBeGreaterThanOrEqual(250);
    // Both replicas are in the sum: it matches the replicas' own windows added up (within increase()'s
    // extrapolation), and is well above either replica alone.
    const own = await Promise.all(gateways.map(async (g) => (await g.admin.window(MODEL, { windowMs: 60_000 })) as { status: 'ok'; summary: { versions: VersionSummary[] } }));
    const perReplica = own.map((o) => o.summary.versions.reduce((n, x) => n + x.requests, 0));
    expect(total(v)).toBeGreaterThan(0.85 * (perReplica[0] + perReplica[1]));
    expect(total(v)).toBeLessThan(1.15 * (perReplica[0] + perReplica[1]));
    expect(total(v)).toBeGreaterThan(1.3 * Math.max(...perReplica));
    expect(stable.errors).toBe(0);
    expect(candidate.errors / candidate.requests).toBeGreaterThan(0.3);
    expect(candidate.errors / candidate.requests).toBeLessThan(0.7);
    // Latency in the analysis's own buckets: the 60 ms fault puts the canary's p99 above 60 ms.
    expect(candidate.latencyMs.histogram).toHaveLength(LATENCY_BUCKET_BOUNDS_MS.length + 1);
    expect(candidate.latencyMs.p99).toBeGreaterThanOrEqual(60);
    expect(stable.latencyMs.p50).toBeLessThan(60);
    // Scores: 5 rows per successful call, in SCORE_BINS bins; confidence is a mean over rows.
    expect(stable.scoreHistogram).toHaveLength(SCORE_BINS);
    const rows = stable.scoreHistogram.reduce((n, x) => n + x, 0);
    expect(rows / stable.requests).toBeGreaterThan(5 * 0.85);
    expect(rows / stable.requests).toBeLessThan(5 * 1.15);
    expect(stable.meanConfidence).toBeGreaterThan(0.5);
    expect(stable.meanConfidence).toBeLessThanOrEqual(1);
  });

  it('a model with no traffic is an ok window with no versions (inconclusive for the analysis)', async () => {
    const r = await createPrometheusMetricsSource({ url: prom.url }).window('nobody', { windowMs: 30_000 });
    expect(r).toMatchObject({ status: 'ok', summary: { model: 'nobody', versions: [] } });
  });

  it('Prometheus down is unavailable with the reason, never a pass', async () => {
    const down = createPrometheusMetricsSource({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const r = await down.window(MODEL, { windowMs: 30_000 });
    expect(r).toEqual({ status: 'unavailable', reason: expect.stringMatching(/^Prometheus at http:\/\/127\.0\.0\.1:9: /) });
  });
});
