/**
 * Production-guard benchmark on real releases (own Temporal dev server, real gateway, real worker):
 *
 *  (a) fault -> routing restored: a promoted champion (with a `previous`) gets an error or latency
 *      fault under 200 requests/s; timed from the injection to the gateway's routing showing the
 *      previous version as stable (polled every 10 ms), with a 1 s and a 5 s monitor period;
 *  (b) false alarms: guard actions over healthy champion-periods (seeded traffic rows), counted on
 *      the monitor's own period counter before any fault is injected. The target is 0.
 *
 *   node --import tsx bench/guard/run.ts [--healthy-periods 100]
 *   (writes bench/results/guard.json)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import { runTraffic } from '../../src/traffic';
import { monitorStatusQuery, type MonitorStatus } from '../../src/workflows/monitor-messages';
import { pollRouting, startRelease } from '../rollback/release-driver';
import { benchSpec, candidateTrainer } from '../rollback/spec';
import { startBenchStack, type BenchStack } from '../shared/stack';
import { machine, writeBenchResult } from '../shared/results';

const ArgsSchema = z.object({ 'healthy-periods': z.coerce.number().int().min(10).max(10_000).default(100) });
const RPS = 200;
const PERIODS = ['1s', '5s'] as const;
const FAULTS = [{ kind: 'error', fault: { errorRate: 0.5 } }, { kind: 'latency', fault: { latencyMs: 700 } }] as const;
const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

function steadyTraffic(stack: BenchStack, model: string) {
  const abort = new AbortController();
  const running = runTraffic({ gatewayUrl: stack.gatewayUrl, model, rows, rps: RPS, durationMs: 1_800_000, signal: abort.signal, maxInFlight: 1024 });
  return () => (abort.abort(), running);
}

async function waitMonitor(stack: BenchStack, model: string, pred: (s: MonitorStatus) => boolean, timeoutMs = 600_000): Promise<MonitorStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stack.client.workflow.getHandle(`monitor-${model}`).query(monitorStatusQuery).catch(() => null);
    if (s && pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`monitor-${model} did not reach the expected state in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Two promoted releases: returns [previous, champion]. */
async function twoVersions(stack: BenchStack, model: string, period: string): Promise<[string, string]> {
  const out: string[] = [];
  for (const [i, epochs] of [[1, 120], [2, 80]] as const) {
    const spec = benchSpec(model, { trainer: candidateTrainer(epochs), monitor: { period, sloBreachesToAct: 2 } });
    const r = await (await startRelease(stack, spec, `release-${model}-${i}`)).result();
    if (r.outcome !== 'promoted' || !r.artifactId) throw new Error(`release ${i} of ${model} ended ${r.outcome}: ${r.reasons.join('; ')}`);
    out.push(r.artifactId);
  }
  return [out[0], out[1]];
}

async function faultRun(stack: BenchStack, period: string, kind: (typeof FAULTS)[number], healthyPeriods: number) {
  const model = `bench-guard-${period}-${kind.kind}`;
  const stop = steadyTraffic(stack, model);
  try {
    const [previous, champion] = await twoVersions(stack, model, period);
    const start = await waitMonitor(stack, model, (s) => s.last?.status === 'checked' && s.last.champion === champion);
    // (b) healthy champion-periods before the fault, on the monitor's own counter.
    const healthy = kind.kind === 'error' ? await waitMonitor(stack, model, (s) => s.carry.totalPeriods - start.carry.totalPeriods >= (period === '1s' ? healthyPeriods : 3), healthyPeriods * 30_000) : start;
    const falseActions = (healthy.carry.guardEvents ?? []).length;
    const faultAt = Date.now();
    await stack.admin.injectFault({ model, version: champion, ...kind.fault });
    const restoredAt = await pollRouting(stack, model, (r) => r?.stable?.version === previous, { timeoutMs: 600_000 });
    const s = await waitMonitor(stack, model, (x) => (x.carry.guardEvents ?? []).some((e) => e.champion === champion));
    await stack.admin.clearFaults(model);
    const event = s.carry.guardEvents!.find((e) => e.champion === champion)!;
    console.log(`  period ${period}, ${kind.kind} fault: restored in ${restoredAt - faultAt} ms by ${event.rollbackId}; healthy periods ${healthy.carry.totalPeriods - start.carry.totalPeriods}, false actions ${falseActions}`);
    return { period, fault: kind.kind, faultToRestoredMs: restoredAt - faultAt, rollbackId: event.rollbackId, healthyPeriods: healthy.carry.totalPeriods - start.carry.totalPeriods, falseActions };
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'healthy-periods': { type: 'string' } } });
  const args = ArgsSchema.parse(values);
  const loadBefore = loadavg()[0];
  const t0 = Date.now();
  const stack = await startBenchStack({ name: 'guard', faultInjection: true });
  try {
    const runs = [];
    for (const period of PERIODS) for (const kind of FAULTS) runs.push(await faultRun(stack, period, kind, args['healthy-periods']));
    const result = {
      benchmark: 'guard',
      at: new Date().toISOString(),
      command: 'node --import tsx bench/guard/run.ts',
      args,
      machine: machine(loadBefore),
      wallSeconds: (Date.now() - t0) / 1000,
      workload: { rps: RPS, sloBreachesToAct: 2, minSamples: 30, maxP99LatencyMs: 500, maxErrorRate: 0.02, faults: FAULTS },
      faultToRestored: runs.map(({ period, fault, faultToRestoredMs, rollbackId }) => ({ period, fault, faultToRestoredMs, rollbackId })),
      falseAlarms: { healthyChampionPeriods: runs.reduce((n, r) => n + r.healthyPeriods, 0), guardActions: runs.reduce((n, r) => n + r.falseActions, 0), target: 0 },
    };
    await writeBenchResult('guard', result);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
