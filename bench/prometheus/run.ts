/**
 * Detection delay of the Prometheus metrics source against the gateway's own windows, in the same
 * run (#14 item 4): one real gateway with a stable version and a 50% canary under 200 requests/s
 * (autocannon), scraped by two real Prometheus servers, every 1 s and every 5 s. Each trial injects
 * an error fault (50%) on the canary and polls the three sources every 50 ms with the rollout's own
 * window (time since the step started, here the injection); detection is the first window in which
 * the canary's error rate is over 2% with at least 30 requests (the canary SLO's limit and floor).
 *
 *   node --import tsx bench/prometheus/run.ts [--trials 5]      (writes bench/results/prometheus.json)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createGatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import { createPrometheusMetricsSource } from '../../src/adapters/metrics-source/prometheus';
import { createGateway } from '../../src/gateway';
import type { MetricsSource } from '../../src/ports/metrics-source';
import { startPrometheus } from '../../src/prometheus/local-prometheus';
import { BENCH_BUNDLES, BENCH_MODEL, BENCH_ROWS } from '../gateway/bench-model';
import { autocannon } from '../shared/http-bench';
import { machine, writeBenchResult } from '../shared/results';

const ArgsSchema = z.object({ trials: z.coerce.number().int().min(1).max(50).default(5) });
const RPS = 200;
const MAX_ERROR_RATE = 0.02;
const MIN_REQUESTS = 30;
const TOKEN = 'bench-admin-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from `t0` until `source` shows the canary over the error limit, or null by the deadline. */
async function detect(source: MetricsSource, t0: number, deadlineMs: number): Promise<number | null> {
  while (Date.now() - t0 < deadlineMs) {
    const r = await source.window(BENCH_MODEL, { windowMs: Math.max(Date.now() - t0, 250) });
    const c = r.status === 'ok' ? r.summary.versions.find((v) => v.version === 'bench-candidate') : undefined;
    if (c && c.requests >= MIN_REQUESTS && c.errors / c.requests > MAX_ERROR_RATE) return Date.now() - t0;
    await sleep(50);
  }
  return null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string' } } });
  const args = ArgsSchema.parse(values);
  const loadBefore = loadavg()[0];
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-prom-'));
  const gateway = createGateway({ adminToken: TOKEN, stateDir, faultInjection: true, loadBundle: async (id) => BENCH_BUNDLES[id] });
  const { url, adminUrl } = await gateway.start();
  const admin = createGatewayAdmin({ adminUrl, token: TOKEN });
  await admin.setRouting(BENCH_MODEL, { stable: { version: 'bench-stable' }, candidate: { version: 'bench-candidate', mode: 'canary', weight: 50 } });
  const target = new URL(url).host;
  const proms = { '1s': await startPrometheus([target], '1s'), '5s': await startPrometheus([target], '5s') };
  const sources: Record<string, MetricsSource> = {
    'gateway windows': admin,
    'Prometheus, 1 s scrape': createPrometheusMetricsSource({ url: proms['1s'].url }),
    'Prometheus, 5 s scrape': createPrometheusMetricsSource({ url: proms['5s'].url }),
  };
  const traffic = autocannon({ url: `${url}/v1/models/${BENCH_MODEL}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [BENCH_ROWS[3]] }), connections: 8, overallRate: RPS, duration: 3600 });
  const t0run = Date.now();
  const trials: Array<Record<string, number | null>> = [];
  try {
    for (let i = 0; i < args.trials; i++) {
      await admin.clearFaults(BENCH_MODEL);
      // Healthy traffic first, longer than the slowest scrape, so every source has a clean baseline.
      await sleep(12_000);
      await admin.injectFault({ model: BENCH_MODEL, version: 'bench-candidate', errorRate: 0.5 });
      const t0 = Date.now();
      const found = await Promise.all(Object.values(sources).map((s) => detect(s, t0, 60_000)));
      trials.push(Object.fromEntries(Object.keys(sources).map((k, j) => [k, found[j]])));
      console.log(`trial ${i + 1}: ${JSON.stringify(trials[trials.length - 1])}`);
    }
  } finally {
    traffic.stop();
    await Promise.all(Object.values(proms).map((p) => p.stop()));
    await gateway.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(Object.keys(sources).map((k) => {
    const xs = trials.map((t) => t[k]).filter((x): x is number => x !== null);
    return [k, { medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs), missed: trials.length - xs.length }];
  }));
  await writeBenchResult('prometheus', {
    benchmark: 'prometheus', at: new Date().toISOString(), machine: machine(loadBefore), wallSeconds: (Date.now() - t0run) / 1000,
    workload: { rps: RPS, canaryWeight: 50, fault: { errorRate: 0.5 }, detection: `canary error rate > ${MAX_ERROR_RATE} with >= ${MIN_REQUESTS} requests in the window since the fault`, pollMs: 50 },
    detectionMs: summary,
    trials,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
