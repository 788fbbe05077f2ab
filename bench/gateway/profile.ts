/**
 * Where the gateway's CPU goes per request, beside the bare node:http server with the same model:
 * each server in its own child, driven by autocannon at saturation and at 1000 rps (stable routing,
 * one row per request). For each run the child reports its CPU time over the run (every thread, so
 * the prediction log's writer counts), GC pauses and event-loop delay, and the gateway writes a CPU
 * profile of its main thread, summarized here by function and by package.
 *
 *   node --import tsx bench/gateway/profile.ts    (about 1 minute; writes bench/results/gateway-profile.json)
 *
 * Before/after in one run: MLGATE_BENCH_BASELINE=<another checkout> adds that checkout's gateway
 * (its src, this bench's harness: copy bench/shared and bench/gateway over) as "baseline", measured
 * right before this one in every run.
 *
 * MLGATE_BENCH_RESULT=<name> writes bench/results/<name>.json instead, so a run kept for a change does
 * not overwrite the file the README quotes.
 *
 * CPU per request is the robust figure on a busy machine: wall-clock latencies move with the load
 * of other processes, the CPU a request costs much less.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import { summarizeProfileFile } from '../shared/cpu-profile';
import type { ProbeMessage, ProbeReport } from '../shared/child-probe';
import { cannonPredict, startChild, type Child } from '../shared/http-bench';
import { machine, writeBenchResult } from '../shared/results';
import { BENCH_MODEL, BENCH_ROWS } from './bench-model';

const RUN_S = 8;
const FIXED_RPS = 1000;
const RUNS = [
  { name: 'saturated', extra: { connections: 16, duration: RUN_S } },
  { name: `${FIXED_RPS} rps`, extra: { connections: 16, duration: RUN_S, overallRate: FIXED_RPS } },
];
/** Where profiles are kept for a closer look (e.g. in Chrome DevTools). */
const KEEP_DIR = process.env.MLGATE_PROFILE_DIR;
const BASELINE = process.env.MLGATE_BENCH_BASELINE;
const RESULT_NAME = process.env.MLGATE_BENCH_RESULT ?? 'gateway-profile';
/** Rounds of both runs; MLGATE_BENCH_ROUNDS=3 or more evens out a busy host (about 1 minute a round). */
const ROUNDS = Number(process.env.MLGATE_BENCH_ROUNDS ?? 1);
/** What the baseline checkout is (a commit), for the results file. @default its path */
const BASELINE_LABEL = process.env.MLGATE_BENCH_BASELINE_LABEL ?? BASELINE;
/**
 * Rows each gateway logs before the measured runs (through its own predict route, at saturation):
 * a gateway that has served for a while has a prediction log this size or larger, and a row costs
 * its writer more in a larger table.
 */
const FILL_ROWS = Number(process.env.MLGATE_BENCH_FILL_ROWS ?? 250_000);

function probe(c: Child, msg: ProbeMessage): Promise<{ probe: string; report?: ProbeReport }> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('probe' in m)) return;
      c.process.off('message', on);
      resolve(m as { probe: string; report?: ProbeReport });
    };
    c.process.on('message', on);
    c.process.send(msg);
  });
}

async function measure(c: Child, run: (typeof RUNS)[number], profileFile?: string) {
  await probe(c, { probe: 'start', profile: profileFile !== undefined });
  const r = await cannonPredict(c.url, BENCH_MODEL, [BENCH_ROWS[3]], run.extra);
  const { report } = await probe(c, { probe: 'stop', ...(profileFile ? { profileFile } : {}) });
  const rep = report as ProbeReport;
  const perRequest = (ms: number) => Math.round((ms / r.requests.total) * 10000) / 10;
  return {
    requests: r.requests.total, rps: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors + r.non2xx,
    cpuMs: rep.cpuMs, cpuUsPerRequest: perRequest(rep.cpuMs), mainThreadCpuUsPerRequest: perRequest(rep.mainThreadCpuMs), gc: rep.gc, eventLoopDelayMs: rep.eventLoopDelayMs,
  };
}

/**
 * One run in one round: the baseline and this gateway one after the other (the baseline first in
 * even rounds, second in odd ones, so neither always meets the host right after the other), then bare.
 */
async function measureRound(round: number, run: (typeof RUNS)[number], c: { gw: Child; base: Child | null; raw: Child }, profDir: string) {
  const file = (who: string) => join(profDir, `${who}-${run.name.replace(/\W+/g, '-')}-${round}.cpuprofile`);
  const measured: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  const order: Array<['gateway' | 'baseline', Child]> = c.base ? [['baseline', c.base], ['gateway', c.gw]] : [['gateway', c.gw]];
  for (const [who, child] of round % 2 === 0 ? order : order.reverse()) measured[who] = await measure(child, run, file(who));
  const bare = await measure(c.raw, run, file('bare'));
  const baselineProfile = c.base ? { baselineProfile: await summarizeProfileFile(file('baseline'), 30) } : {};
  return {
    run: run.name, round, loadAvg1m: loadavg()[0], ...(c.base ? { baseline: measured.baseline } : {}), gateway: measured.gateway, bare,
    ...baselineProfile, gatewayProfile: await summarizeProfileFile(file('gateway'), 30), bareProfile: await summarizeProfileFile(file('bare'), 15),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per run and server, the median over the rounds of each figure. */
function medians(out: Record<string, unknown>[]) {
  const figures = ['rps', 'p99Ms', 'cpuUsPerRequest', 'mainThreadCpuUsPerRequest'] as const;
  return RUNS.map(({ name }) => ({
    run: name, rounds: ROUNDS,
    ...Object.fromEntries(['baseline', 'gateway', 'bare'].filter((w) => out[0]?.[w]).map((w) => {
      const ms = out.filter((r) => r.run === name).map((r) => r[w] as Record<string, number>);
      return [w, Object.fromEntries(figures.map((k) => [k, median(ms.map((m) => m[k]))]))];
    })),
  }));
}

async function main(): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const stateDir = await mkdtemp(join(tmpdir(), 'mlgate-bench-gwprof-'));
  const profDir = KEEP_DIR ?? stateDir;
  const gw = await startChild(join(__dirname, 'serve.ts'), { token, stateDir });
  const base = BASELINE ? await startChild(join(BASELINE, 'bench', 'gateway', 'serve.ts'), { token, stateDir: join(stateDir, 'baseline') }) : null;
  const raw = await startChild(join(__dirname, 'serve-raw.ts'));
  const loadBefore = loadavg()[0];
  const out: Record<string, unknown>[] = [];
  try {
    for (const g of base ? [gw, base] : [gw]) await createGatewayAdmin({ adminUrl: g.adminUrl, token }).setRouting(BENCH_MODEL, { stable: { version: 'bench-stable' } });
    for (const c of base ? [gw, base, raw] : [gw, raw]) await cannonPredict(c.url, BENCH_MODEL, [BENCH_ROWS[3]], { connections: 8, duration: 2 });
    for (const g of base ? [gw, base] : [gw]) if (FILL_ROWS > 0) await cannonPredict(g.url, BENCH_MODEL, [BENCH_ROWS[3]], { connections: 16, amount: FILL_ROWS });
    for (let round = 0; round < ROUNDS; round++) for (const run of RUNS) out.push(await measureRound(round, run, { gw, base, raw }, profDir));
  } finally {
    gw.stop();
    base?.stop();
    raw.stop();
    if (!KEEP_DIR) await rm(stateDir, { recursive: true, force: true });
  }
  await writeBenchResult(RESULT_NAME, {
    benchmark: 'gateway-profile', at: new Date().toISOString(), machine: machine(loadBefore), ...(BASELINE ? { baseline: BASELINE_LABEL } : {}), medians: medians(out), runs: out,
    notes: `Each gateway logged ${FILL_ROWS} rows (saturation, not measured) before the runs. cpuMs = process.cpuUsage() of the server child over the run (all threads), `
      + 'mainThreadCpu its event-loop thread (/proc, 10 ms ticks); per request = divided by the requests. Profiles: the main thread of each server sampled every 250 µs '
      + 'over the run (busy = not idle); the sampling thread itself costs about 110 ms of CPU a second in each child, counted in cpuMs but not in mainThreadCpu. '
      + 'gc: perf_hooks GC entries in the child over the run.',
  });
  console.log(JSON.stringify(medians(out), null, 1));
  const figures = ['rps', 'p99Ms', 'cpuUsPerRequest', 'mainThreadCpuUsPerRequest'];
  console.table(out.flatMap((r) => ['baseline', 'gateway', 'bare'].filter((w) => r[w]).map((w) => {
    const m = r[w] as Record<string, unknown>;
    return { run: r.run, round: r.round, server: w, ...Object.fromEntries(figures.map((k) => [k, m[k]])), gcMs: (m.gc as ProbeReport['gc']).totalMs };
  })));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
