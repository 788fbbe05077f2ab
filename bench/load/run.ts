/**
 * Load: N concurrent releases (default 200) on one worker and the embedded dev server (SQLite
 * file). Tiny data (synthetic-credit, 300 rows), one short canary step, low risk so both gates are
 * auto-approved by policy; with no traffic the rollout is inconclusive and `onInconclusive: hold`
 * sends it on to the (auto) promote gate. Reports wall time, releases/min, peak RSS of this
 * process (worker + driver) and of the Temporal server, per-release latency, and lost/stuck counts.
 *
 *   node --import tsx bench/load/run.ts [--releases 200] [--timeout-min 15] [--out load.json]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ModelSpecSchema } from '../../src/domain/spec';
import { releaseWorkflow } from '../../src/workflows/release';
import { startBenchStack } from '../shared/stack';

const { values } = parseArgs({ options: { releases: { type: 'string', default: '200' }, 'timeout-min': { type: 'string', default: '15' }, out: { type: 'string', default: 'load.json' } } });
const N = Number(values.releases);
const TIMEOUT_MS = Number(values['timeout-min']) * 60_000;

function spec(i: number) {
  return ModelSpecSchema.parse({
    id: `load-${i}`,
    owner: 'owner@example.com',
    riskClass: 'low',
    data: { source: { kind: 'synthetic-credit', rows: 300, seed: i + 1 }, label: 'default', features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'], categorical: ['region'], pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }] },
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 30 }, seed: 7 },
    offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.5 }], maxSliceGap: 1, maxSliceRegression: 1, maxRegression: 1 },
    slo: { minSamples: 30, inconclusiveAfter: '1s', onInconclusive: 'hold' },
    strategy: { kind: 'canary', steps: [100], stepBake: '1s', postPromotionWatch: '1s' },
    approval: { approvers: ['alice@example.com'] },
  });
}

/** Peak RSS (MB) of this process and of another pid, sampled every 250 ms. */
function sampleMemory(pid: number | undefined) {
  const peak = { selfMb: 0, temporalMb: 0 };
  const rssOf = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const timer = setInterval(() => {
    peak.selfMb = Math.max(peak.selfMb, process.memoryUsage().rss / 2 ** 20);
    if (pid) peak.temporalMb = Math.max(peak.temporalMb, rssOf(pid));
  }, 250);
  return { peak, stop: () => clearInterval(timer) };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'load', persist: true });
  const mem = sampleMemory(stack.temporalPid);
  const t0 = Date.now();
  const handles = await Promise.all(Array.from({ length: N }, (_, i) =>
    stack.client.workflow.start(releaseWorkflow, { taskQueue: stack.taskQueue, workflowId: `release-load-${i}-${t0}`, args: [{ spec: spec(i), specDir: stack.dataDir, requester: 'carol@example.com', codeVersion: 'bench', lockWait: '5m' }] })));
  const startedMs = Date.now() - t0;
  const deadline = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref());
  const outcomes: Record<string, number> = {};
  const durations: number[] = [];
  const done = await Promise.all(handles.map(async (h) => {
    const r = await Promise.race([h.result().then((x) => x.outcome as string, (e: Error) => `error:${e.name}`), deadline]);
    if (r !== 'timeout') durations.push(Date.now() - t0);
    outcomes[r] = (outcomes[r] ?? 0) + 1;
    return r;
  }));
  const wallMs = Date.now() - t0;
  mem.stop();
  // Asked of each execution, not of visibility (the list view lags behind on the dev server).
  const statuses = await Promise.all(handles.map(async (h) => (await h.describe()).status.name));
  const running = statuses.filter((s) => s === 'RUNNING').length;
  const result = {
    releases: N, workers: 1, temporal: 'dev server, SQLite file', cores: (await import('node:os')).cpus().length,
    wallSeconds: +(wallMs / 1000).toFixed(1), startAllSeconds: +(startedMs / 1000).toFixed(1),
    releasesPerMinute: +((done.filter((d) => d !== 'timeout').length / wallMs) * 60_000).toFixed(1),
    completionSeconds: { p50: +(pct(durations, 50) / 1000).toFixed(1), p95: +(pct(durations, 95) / 1000).toFixed(1), max: +(Math.max(...durations) / 1000).toFixed(1) },
    peakRssMb: { workerAndDriver: Math.round(mem.peak.selfMb), temporalServer: Math.round(mem.peak.temporalMb) },
    outcomes, lost: N - done.length, stuck: (outcomes.timeout ?? 0), stillRunningAfter: running,
    measuredAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(join(__dirname, '..', 'results', values.out), `${JSON.stringify(result, null, 2)}\n`);
  await stack.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
