/**
 * Gateway overhead benchmark: latency and throughput of predictions through a real gateway on
 * loopback (autocannon, gateway in a child process) vs calling predictRow in-process; with stable
 * routing only, a 50% canary split, and 100% shadow mirroring (the shadow cost to the caller's p99).
 *
 *   node --import tsx bench/gateway/run.ts     (about 1 minute; writes bench/results/gateway.json)
 *
 * A bare node:http server with the same model runs in every round as a reference, to show what
 * the gateway's routing, validation, metrics and prediction log cost on top of any HTTP hop.
 *
 * Before/after in one run: MLGATE_BENCH_BASELINE=<another checkout> (with this bench's harness,
 * bench/shared and bench/gateway, copied over) adds that checkout's gateway with stable routing
 * to every round, as the row "stable only, baseline". MLGATE_BENCH_RESULT=<name> writes
 * bench/results/<name>.json instead of gateway.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { predictRow } from '../../src/domain/model/bundle';
import { createGatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import type { RoutingInput } from '../../src/domain/routing';
import { BENCH_BUNDLES, BENCH_MODEL, BENCH_ROWS } from './bench-model';

import { cannonPredict, startChild as startChildAt, type CannonResult } from '../shared/http-bench';
import { machine, writeBenchResult } from '../shared/results';

const SATURATE_MS = 4000;
const FIXED_RATE_MS = 4000;
/**
 * Scenarios run in interleaved rounds (ABCABC) and are averaged, so JIT warm-up and background load do not favour whichever runs last.
 * MLGATE_BENCH_ROUNDS=4 evens out a busy host's swings further (about 1 minute more per 2 rounds).
 */
const ROUNDS = Number(process.env.MLGATE_BENCH_ROUNDS ?? 2);
const FIXED_RPS = 1000;
/** Pause between the saturation run and the fixed-rate run of one scenario. */
const SETTLE_MS = 3000;

function inProcess(): { p50Us: number; p99Us: number; perSecond: number } {
  const bundle = BENCH_BUNDLES['bench-stable'];
  const n = 200_000;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    predictRow(bundle, BENCH_ROWS[i % BENCH_ROWS.length]);
    times[i] = performance.now() - t0;
  }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) predictRow(bundle, BENCH_ROWS[i % BENCH_ROWS.length]);
  const elapsed = performance.now() - t0;
  times.sort();
  return { p50Us: times[Math.floor(n * 0.5)] * 1000, p99Us: times[Math.floor(n * 0.99)] * 1000, perSecond: Math.round((n / elapsed) * 1000) };
}

const startChild = (script: string, init?: object) => startChildAt(join(__dirname, script), init);
const BASELINE = process.env.MLGATE_BENCH_BASELINE;
const RESULT_NAME = process.env.MLGATE_BENCH_RESULT ?? 'gateway';
/** What the baseline checkout is (a commit), for the results file. @default its path */
const BASELINE_LABEL = process.env.MLGATE_BENCH_BASELINE_LABEL ?? BASELINE;

/** Bare node:http with the same model: what any HTTP hop costs before the gateway adds anything. Runs in every round, beside the gateway scenarios. */
async function rawHttpReference(url: string): Promise<Record<string, unknown>> {
  const max = await cannon(url, { connections: 16, duration: SATURATE_MS / 1000 });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const fixed = await cannon(url, { connections: 16, duration: FIXED_RATE_MS / 1000, overallRate: FIXED_RPS });
  return { scenario: 'raw node:http (reference)', maxThroughputRps: Math.round(max.requests.average), saturatedP50Ms: max.latency.p50, saturatedP99Ms: max.latency.p99, [`at${FIXED_RPS}rpsP50Ms`]: fixed.latency.p50, [`at${FIXED_RPS}rpsP99Ms`]: fixed.latency.p99, errors: max.errors + max.non2xx + fixed.errors + fixed.non2xx };
}

function cannon(url: string, extra: Record<string, unknown>): Promise<CannonResult> {
  return cannonPredict(url, BENCH_MODEL, [BENCH_ROWS[3]], extra);
}

const SCENARIOS: { name: string; routing: RoutingInput }[] = [
  { name: 'stable only', routing: { stable: { version: 'bench-stable' } } },
  { name: 'canary 50%', routing: { stable: { version: 'bench-stable' }, candidate: { version: 'bench-candidate', mode: 'canary', weight: 50 } } },
  { name: 'shadow 100%', routing: { stable: { version: 'bench-stable' }, candidate: { version: 'bench-candidate', mode: 'shadow', weight: 0, sampleRate: 1 } } },
];

async function runScenario(url: string, adminUrl: string, token: string, s: (typeof SCENARIOS)[number], name = s.name) {
  await createGatewayAdmin({ adminUrl, token }).setRouting(BENCH_MODEL, s.routing);
  const max = await cannon(url, { connections: 16, duration: SATURATE_MS / 1000 });
  // Steady state, not the tail of the burst: let the gateway write the prediction log the
  // saturation run queued (tens of thousands of rows) before measuring at a fixed rate.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const fixed = await cannon(url, { connections: 16, duration: FIXED_RATE_MS / 1000, overallRate: FIXED_RPS });
  return {
    scenario: name,
    maxThroughputRps: Math.round(max.requests.average),
    saturatedP50Ms: max.latency.p50,
    saturatedP99Ms: max.latency.p99,
    [`at${FIXED_RPS}rpsP50Ms`]: fixed.latency.p50,
    [`at${FIXED_RPS}rpsP99Ms`]: fixed.latency.p99,
    errors: max.errors + max.non2xx + fixed.errors + fixed.non2xx,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function averageRuns(runs: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...runs[0] };
  for (const [k, v] of Object.entries(runs[0])) {
    if (typeof v === 'number') out[k] = Math.round((runs.reduce((sum, r) => sum + Number(r[k]), 0) / runs.length) * 10) / 10;
  }
  return out;
}

async function main(): Promise<void> {
  const local = inProcess();
  const token = randomBytes(16).toString('hex');
  const stateDir = await mkdtemp(join(tmpdir(), 'mlgate-bench-gw-'));
  const gw = await startChild('serve.ts', { token, stateDir });
  const raw = await startChild('serve-raw.ts');
  const base = BASELINE ? await startChildAt(join(BASELINE, 'bench', 'gateway', 'serve.ts'), { token, stateDir: join(stateDir, 'baseline') }) : null;
  const rows: Record<string, unknown>[] = [];
  // Every round's figures as well as the averages: one slow round can carry an average p99.
  const perRound: Array<{ scenario: unknown; at1000rpsP99Ms: number[]; maxThroughputRps: number[]; medianAt1000rpsP99Ms: number; medianMaxThroughputRps: number }> = [];
  const loadBefore = loadavg()[0];
  try {
    // Warm every code path (canary split, shadow mirror) once, so the first scenario does not pay for the JIT.
    for (const s of SCENARIOS) {
      await createGatewayAdmin({ adminUrl: gw.adminUrl, token }).setRouting(BENCH_MODEL, s.routing);
      await cannon(gw.url, { connections: 8, duration: 1 });
    }
    await cannon(raw.url, { connections: 8, duration: 1 });
    if (base) await runScenario(base.url, base.adminUrl, token, SCENARIOS[0]);
    // The bare reference runs in every round too, so background load on this shared machine hits both alike.
    const jobs = [
      ...SCENARIOS.map((s) => () => runScenario(gw.url, gw.adminUrl, token, s)),
      () => rawHttpReference(raw.url),
      ...(base ? [() => runScenario(base.url, base.adminUrl, token, SCENARIOS[0], 'stable only, baseline')] : []),
    ];
    const runs: Record<string, unknown>[][] = jobs.map(() => []);
    // Each round starts one job later, so no row always goes first (after the previous round's shadow traffic) or last.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < jobs.length; k++) {
        const i = (k + round) % jobs.length;
        runs[i].push(await jobs[i]());
      }
    }
    rows.push(...runs.map(averageRuns));
    for (const r of runs) {
      const p99s = r.map((x) => Number(x[`at${FIXED_RPS}rpsP99Ms`]));
      const rps = r.map((x) => Number(x.maxThroughputRps));
      perRound.push({ scenario: r[0]?.scenario, at1000rpsP99Ms: p99s, maxThroughputRps: rps, medianAt1000rpsP99Ms: median(p99s), medianMaxThroughputRps: median(rps) });
    }
  } finally {
    gw.stop();
    raw.stop();
    base?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
  const stable = rows[0];
  const shadow = rows[2];
  const bare = rows[SCENARIOS.length];
  const fixedKey = `at${FIXED_RPS}rpsP99Ms`;
  const ratio = Number(stable.maxThroughputRps) / Number(bare.maxThroughputRps);
  const p99Gap = Number(stable[fixedKey]) - Number(bare[fixedKey]);
  const result = {
    benchmark: 'gateway-overhead',
    at: new Date().toISOString(),
    // Load average shows how much other work shared the machine (results on a busy host are noisy).
    machine: machine(loadBefore),
    ...(BASELINE ? { baseline: `the row "stable only, baseline" is the gateway of ${BASELINE_LABEL}` } : {}),
    inProcess: local,
    gateway: rows,
    perRound,
    // Issue #16's goals, stable routing against the bare server in the same rounds.
    goals: {
      throughputRatio: { value: Math.round(ratio * 100) / 100, goal: '>= 0.8', met: ratio >= 0.8 },
      [`p99At${FIXED_RPS}rpsOverBareMs`]: { value: p99Gap, goal: '<= 1', met: p99Gap <= 1 },
    },
    // The same goals on the per-round medians, which one slow round on a shared host cannot carry.
    goalsByMedian: {
      throughputRatio: { value: Math.round((perRound[0].medianMaxThroughputRps / perRound[SCENARIOS.length].medianMaxThroughputRps) * 100) / 100, goal: '>= 0.8' },
      [`p99At${FIXED_RPS}rpsOverBareMs`]: { value: perRound[0].medianAt1000rpsP99Ms - perRound[SCENARIOS.length].medianAt1000rpsP99Ms, goal: '<= 1' },
    },
    shadowCostToCallerP99Ms: { saturated: Number(shadow.saturatedP99Ms) - Number(stable.saturatedP99Ms), [`at${FIXED_RPS}rps`]: Number(shadow[fixedKey]) - Number(stable[fixedKey]) },
    notes: `Gateway (fastify) in a child process; autocannon in this process on the same machine (loopback), one row per request, 16 connections; gateway scenarios and the bare node:http reference are the mean of ${ROUNDS} interleaved rounds; autocannon latencies have 1 ms resolution. In-process = predictRow loop, no HTTP.`,
  };
  await writeBenchResult(RESULT_NAME, result);
  console.log(`in-process predictRow: p50 ${local.p50Us.toFixed(2)}µs, p99 ${local.p99Us.toFixed(2)}µs, ${local.perSecond.toLocaleString()} predictions/s`);
  console.table(rows);
  console.log('shadow cost to caller p99 (ms):', result.shadowCostToCallerP99Ms);
  console.log('goals:', result.goals, 'by per-round medians:', result.goalsByMedian);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
