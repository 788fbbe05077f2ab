/**
 * Rollback benchmark on real releases (own Temporal dev server, real gateway, real worker):
 *
 *  (a) fault -> routing restored, over repeated canaries with traffic at 200 requests/s, split into
 *      detection (fault -> the watch activity completes with `fail`, from the rollout's history) and
 *      decision-to-flip (-> the gateway's routing shows the champion alone, polled every 10 ms);
 *  (a2) the same-run baseline for (a)'s detection time: both faults on a bench-set 50% canary, each
 *      poll judged by today's anytime-valid analysis AND the pre-#15 fixed-sample analysis
 *      (legacy-analysis.ts) on the same window, so "no slower" is judged on the same traffic and load
 *      (see paired-run.ts);
 *  (b) the same error fault judged by a Flagger-style fixed-interval analysis over the same metrics
 *      source, in the same run, plus the theoretical figure for Flagger's documented example;
 *  (c) false rollbacks over healthy canaries (no fault), in two sets (same recipe retrained; another
 *      recipe with equivalent behaviour, see healthy-runs.ts): releases that ended anything but promoted.
 *      Every check is anytime-valid and judged at every 250 ms poll, score distribution included.
 *
 *   node --import tsx bench/rollback/run.ts [--runs 10] [--paired-runs 10] [--extra-poll-ms 100]
 *        [--healthy 200] [--healthy-budget-s 1500] [--lanes 4] [--baseline-runs 4] [--interval-ms 5000]
 *        [--threshold 2] [--out rollback]
 *   (--healthy is per set; about 40 minutes with the defaults on a busy 2-core host; writes
 *   bench/results/rollback.json with the 1-minute load average at every part, as the figures are noisy)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import { runTraffic } from '../../src/traffic';
import { measureFaultRun, type FaultRunResult } from './fault-run';
import { fixedIntervalDecision } from './fixed-interval';
import { HEALTHY_SETS, runHealthyCanaries, type HealthyRunsResult, type HealthySet } from './healthy-runs';
import { startRelease } from './release-driver';
import { measurePairedRun, pairedAnalyzers, type PairedRunResult } from './paired-run';
import { benchSpec } from './spec';
import { startBenchStack, type BenchStack } from '../shared/stack';
import { spread, tableRow, type Spread } from './summary';
import { machine, writeBenchResult } from '../shared/results';

const ArgsSchema = z.object({
  runs: z.coerce.number().int().min(1).max(50).default(10),
  'paired-runs': z.coerce.number().int().min(1).max(50).default(10),
  /** Healthy canaries per set; 0 skips (c). */
  healthy: z.coerce.number().int().min(0).max(1000).default(200),
  'healthy-budget-s': z.coerce.number().int().min(10).max(3600).default(1500),
  lanes: z.coerce.number().int().min(1).max(16).default(4),
  /** Extra poll intervals (ms, comma-separated) at which (a2) also times the anytime analysis. */
  'extra-poll-ms': z.string().regex(/^(\d+(,\d+)*)?$/, 'a comma-separated list of milliseconds, e.g. 100,50 (empty for none)').default('100')
    .transform((v) => (v ? v.split(',').map(Number) : []))
    .pipe(z.array(z.number().int().min(10).max(250))),
  /** Results file name under bench/results (without .json); a detection-only run with --healthy 0 can keep the full run's file. */
  out: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes').default('rollback'),
  'baseline-runs': z.coerce.number().int().min(1).max(20).default(4),
  'interval-ms': z.coerce.number().int().min(500).max(60_000).default(5000),
  threshold: z.coerce.number().int().min(1).max(10).default(2),
});
type Args = z.output<typeof ArgsSchema>;

const RPS = 200;
const FAULTS = [
  { kind: 'error', fault: { errorRate: 0.5 } },
  { kind: 'latency', fault: { latencyMs: 300 } },
] as const;
/** The detection medians before #15 (README, fixed-sample analysis, an earlier run on another load): the goal is no slower. */
const PRE_15_MEDIAN_MS = { error: 308, latency: 556 } as const;
const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

function parseCli(): Args {
  const { values } = parseArgs({ options: Object.fromEntries(Object.keys(ArgsSchema.shape).map((k) => [k, { type: 'string' as const }])) });
  const r = ArgsSchema.safeParse(values);
  if (!r.success) throw new Error(`bad arguments: ${r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Traffic at RPS for `model` until the returned stop function is called. */
function steadyTraffic(stack: BenchStack, model: string) {
  const abort = new AbortController();
  const running = runTraffic({ gatewayUrl: stack.gatewayUrl, model, rows, rps: RPS, durationMs: 1_800_000, signal: abort.signal, maxInFlight: 1024 });
  return () => (abort.abort(), running);
}

/**
 * Admin calls on a loaded 2-core machine can time out (5 s each; a load average of 20 made three in
 * a row do so); the baseline must not die of it. Every call retried is idempotent (PUT routing, set
 * or clear a fault), and the pause lets the host catch up.
 */
async function retried<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw e;
      console.log(`  (admin call failed, retrying in ${i} s: ${(e as Error).message})`);
      await new Promise((r) => setTimeout(r, i * 1000));
    }
  }
}

async function promoteFirst(stack: BenchStack, model: string): Promise<string> {
  const r = await (await startRelease(stack, benchSpec(model), `release-${model}-1`)).result();
  if (r.outcome !== 'promoted' || !r.artifactId) throw new Error(`champion release of ${model} ended ${r.outcome}: ${r.reasons.join('; ')}`);
  return r.artifactId;
}

async function partA(stack: BenchStack, args: Args) {
  const model = 'bench-fault';
  const stop = steadyTraffic(stack, model);
  try {
    const champion = await promoteFirst(stack, model);
    const out: Record<string, FaultRunResult[]> = {};
    let index = 0;
    for (const { kind, fault } of FAULTS) {
      out[kind] = [];
      for (let i = 0; i < args.runs; i++) {
        const r = await measureFaultRun(stack, { model, champion, index: index++, fault });
        out[kind].push(r);
        console.log(`  ${kind} #${i + 1}: ${r.outcome}${r.beforeFault ? ' BEFORE the fault (false rollback)' : ''}, detection ${r.detectionMs.toFixed(0)} ms, flip ${r.flipMs.toFixed(0)} ms (${r.reason.slice(0, 90)})`);
      }
    }
    return { champion, lastCandidate: out.error.at(-1)!.candidate, runs: out };
  } finally {
    await stop();
  }
}

async function partPaired(stack: BenchStack, args: Args, champion: string, candidate: string) {
  const model = 'bench-paired';
  const slo = benchSpec(model).slo;
  const stop = steadyTraffic(stack, model);
  const out: Record<string, PairedRunResult[]> = {};
  const analyzers = pairedAnalyzers(args['extra-poll-ms']);
  try {
    for (const { kind, fault } of FAULTS) {
      out[kind] = [];
      for (let i = 0; i < args['paired-runs']; i++) {
        const r = await retried(() => measurePairedRun(stack, { model, champion, candidate, fault, analyzers }, slo));
        out[kind].push(r);
        const f = ([n, d]: [string, PairedRunResult['detections'][string]]) => `${n} ${d.detectionMs?.toFixed(0) ?? 'none'} ms (${d.check ?? '-'}, ${d.candidateRequestsAtDetection ?? '-'} req)${d.failedBeforeFault ? ' FAILED BEFORE THE FAULT' : ''}`;
        console.log(`  paired ${kind} #${i + 1}: ${Object.entries(r.detections).map(f).join('; ')}`);
      }
    }
  } finally {
    await stop();
  }
  return out;
}

/**
 * The canary is set once and stays: a routing change between runs made the gateway's admin PUT time
 * out again and again on a host at load 20 (twice, at the second run), so each run only injects and
 * clears the fault. The flip is not timed here: it is the same routing PUT that (a) times.
 */
async function partB(stack: BenchStack, args: Args, champion: string, candidate: string) {
  const model = 'bench-fixed';
  const canary = { stable: { version: champion }, candidate: { version: candidate, mode: 'canary' as const, weight: 50 } };
  const stop = steadyTraffic(stack, model);
  const runs: Array<{ detectionMs: number; ticks: number }> = [];
  try {
    await retried(() => stack.admin.setRouting(model, canary));
    for (let i = 0; i < args['baseline-runs']; i++) {
      const decision = fixedIntervalDecision({ admin: stack.admin, model, candidate, intervalMs: args['interval-ms'], threshold: args.threshold, maxErrorRate: 0.02, maxP99LatencyMs: 500, minSamples: 30 });
      // A fault lands at a random phase of the analysis interval, after at least one healthy interval.
      await new Promise((r) => setTimeout(r, args['interval-ms'] * (1 + Math.random())));
      const faultAt = Date.now();
      await retried(() => stack.admin.injectFault({ model, version: candidate, errorRate: 0.5 }));
      const { decidedAt, ticks } = await decision;
      await retried(() => stack.admin.clearFaults(model));
      // Metric windows are 1-second buckets: let the faulty requests age out before the next run's first tick.
      await new Promise((r) => setTimeout(r, args['interval-ms'] + 2000));
      runs.push({ detectionMs: decidedAt - faultAt, ticks });
      console.log(`  fixed-interval #${i + 1}: detection ${(decidedAt - faultAt).toFixed(0)} ms after ${ticks} ticks`);
    }
  } catch (e) {
    // The baseline's runs so far are kept and the failure is written into the results, so (c) still runs.
    const error = `the fixed-interval baseline stopped after ${runs.length} run(s): ${(e as Error).message}`;
    console.log(`  ${error}`);
    return { runs, error };
  } finally {
    await stop();
  }
  return { runs, error: null };
}

function summarizePaired(runs: PairedRunResult[]) {
  const names = Object.keys(runs[0]?.detections ?? {});
  const of = (n: string) => {
    const ds = runs.map((r) => r.detections[n]);
    const ms = ds.map((d) => d.detectionMs).filter((x): x is number => x !== null);
    return { detectionMs: spread(ms), undetected: ds.length - ms.length, failedBeforeFault: ds.filter((d) => d.failedBeforeFault).length, checks: [...new Set(ds.map((d) => d.check))] };
  };
  // Paired differences against the pre-#15 analysis: the same fault, the same windows.
  const minusFixed = (n: string) => spread(runs.map((r) => r.detections)
    .filter((d) => d[n].detectionMs !== null && d.fixedSample.detectionMs !== null)
    .map((d) => d[n].detectionMs! - d.fixedSample.detectionMs!));
  return {
    analyses: Object.fromEntries(names.map((n) => [n, of(n)])),
    minusFixedSampleMs: Object.fromEntries(names.filter((n) => n !== 'fixedSample').map((n) => [n, minusFixed(n)])),
  };
}

function report(a: Awaited<ReturnType<typeof partA>>, p: Awaited<ReturnType<typeof partPaired>>, b: Awaited<ReturnType<typeof partB>>, sets: HealthyRunsResult[], args: Args) {
  const cols = ['n', 'median', 'p95', 'min', 'max'];
  const line = (label: string, v: number[]) => { const s = spread(v); return tableRow(label, [s.n, s.median, s.p95, s.min, s.max]); };
  const lines = [`rollback benchmark: traffic ${RPS} requests/s, canary 50%, minSamples 30, alpha 0.01, watch poll 250 ms (all figures ms)`, tableRow('', cols)];
  for (const { kind } of FAULTS) {
    const early = a.runs[kind].filter((r) => r.beforeFault).length;
    if (early) lines.push(`  ${kind}: ${early} run(s) rolled back BEFORE the fault (false rollbacks), left out of the timings`);
    const runs = a.runs[kind].filter((r) => !r.beforeFault && r.outcome === 'rolled_back');
    lines.push(line(`mlgate ${kind} fault: detection`, runs.map((r) => r.detectionMs)), line(`mlgate ${kind} fault: decision-to-flip`, runs.map((r) => r.flipMs)), line(`mlgate ${kind} fault: fault-to-restored`, runs.map((r) => r.totalMs)));
    lines.push(tableRow(`  pre-#15 median (earlier run, other load)`, ['', PRE_15_MEDIAN_MS[kind]]));
    const sp = summarizePaired(p[kind]);
    const row = (label: string, s: Spread) => tableRow(label, [s.n, s.median, s.p95, s.min, s.max]);
    for (const [n, a] of Object.entries(sp.analyses)) lines.push(row(`  same traffic, ${n === 'fixedSample' ? 'pre-#15 fixed-sample' : n} analysis`, a.detectionMs));
    for (const [n, d] of Object.entries(sp.minusFixedSampleMs)) lines.push(row(`  paired difference ${n} - fixed-sample`, d));
  }
  const iv = args['interval-ms'];
  lines.push(line(`fixed interval ${iv / 1000}s x ${args.threshold} checks: detection`, b.runs.map((r) => r.detectionMs)));
  if (b.error) lines.push(`  ${b.error}`);
  lines.push(tableRow(`  theory for that: ${((args.threshold - 1) * iv / 1000).toFixed(0)}-${(args.threshold * iv / 1000).toFixed(0)} s`, []));
  lines.push(tableRow('Flagger docs example (interval 1m, threshold 5)', ['', '240000-300000 (theory)']));
  for (const c of sets) {
    lines.push(`healthy canaries, ${c.set}: ${c.judged} judged in ${(c.elapsedMs / 1000).toFixed(0)} s, ${c.promoted} promoted, false rollbacks ${c.falseRollbacks.length}/${c.judged}`);
    for (const f of c.falseRollbacks) lines.push(`  ${f.workflowId}: ${f.outcome}: ${f.reason.slice(0, 160)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseCli();
  const loadBefore = loadavg()[0];
  const t0 = Date.now();
  // The host is shared: the 1-minute load average at the start of every part goes into the results.
  const load: Array<{ part: string; loadAvg1m: number; at: string }> = [];
  const mark = (part: string) => (load.push({ part, loadAvg1m: loadavg()[0], at: new Date().toISOString() }), console.log(`${part} (load ${loadavg()[0].toFixed(2)})`));
  const stack = await startBenchStack({ name: 'rollback', faultInjection: true });
  try {
    mark('(a) fault -> restored on real releases');
    const a = await partA(stack, args);
    mark('(a2) same traffic: anytime-valid vs pre-#15 fixed-sample analysis');
    const p = await partPaired(stack, args, a.champion, a.lastCandidate);
    mark('(b) fixed-interval baseline on the same gateway metrics');
    const b = await partB(stack, args, a.champion, a.lastCandidate);
    const sets: HealthyRunsResult[] = [];
    for (const set of args.healthy > 0 ? (Object.keys(HEALTHY_SETS) as HealthySet[]) : []) {
      mark(`(c) healthy canaries, ${set} (${args.healthy} wanted, ${args['healthy-budget-s']} s budget, ${args.lanes} lanes)`);
      sets.push(await runHealthyCanaries(stack, { set, lanes: args.lanes, releases: args.healthy, budgetMs: args['healthy-budget-s'] * 1000, rps: 50 }));
    }
    mark('end');
    console.log(report(a, p, b, sets, args));
    const summarize = (all: FaultRunResult[], runs = all.filter((r) => !r.beforeFault && r.outcome === 'rolled_back')) => ({
      rolledBackBeforeFault: all.filter((r) => r.beforeFault).length,
      detectionMs: spread(runs.map((r) => r.detectionMs)), flipMs: spread(runs.map((r) => r.flipMs)), totalMs: spread(runs.map((r) => r.totalMs)),
      outcomes: all.map((r) => r.outcome),
    });
    const result = {
      benchmark: 'rollback',
      at: new Date().toISOString(),
      command: ['node --import tsx bench/rollback/run.ts', ...process.argv.slice(2)].join(' '),
      args,
      machine: machine(loadBefore),
      wallSeconds: (Date.now() - t0) / 1000,
      workload: { rps: RPS, canaryWeight: 50, minSamples: 30, watchPollMs: 250, faults: FAULTS },
      loadAvg1m: load,
      faultToRestored: Object.fromEntries(FAULTS.map(({ kind }) => [kind, { ...summarize(a.runs[kind]), runs: a.runs[kind] }])),
      pre15MedianDetectionMs: { ...PRE_15_MEDIAN_MS, note: 'from an earlier run before #15 under another load; the same-run baseline is sameTrafficDetection' },
      sameTrafficDetection: Object.fromEntries(FAULTS.map(({ kind }) => [kind, { ...summarizePaired(p[kind]), runs: p[kind] }])),
      baselineFixedInterval: { intervalMs: args['interval-ms'], threshold: args.threshold, fault: 'errorRate 0.5', detectionMs: spread(b.runs.map((r) => r.detectionMs)), error: b.error, runs: b.runs },
      flaggerDocsExampleTheory: { intervalMs: 60_000, threshold: 5, detectionMsRange: [240_000, 300_000] },
      healthyCanaries: Object.fromEntries(sets.map((c) => [c.set, c])),
      falseRollbacksTotal: sets.reduce((n, c) => n + c.falseRollbacks.length, 0),
    };
    await writeBenchResult(args.out, result);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
