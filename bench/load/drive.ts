/**
 * Drives N concurrent releases through one embedded stack and measures them: wall time,
 * releases/min, completion percentiles, peak RSS and CPU of the worker process and of the Temporal
 * server, and how long workflow tasks waited for the worker (schedule-to-start, from history).
 * Used by the load benchmark (a sweep of N) and by the load test (N = 200, asserting none lost).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { ModelSpecSchema, type ModelSpec } from '../../src/domain/spec';
import type { RolloutIn, ShortSteps } from '../../src/domain/release';
import { releaseWorkflow } from '../../src/workflows/release';
import type { MemorySample, WorkerMemoryReport } from '../shared/memory-probe';
import type { BenchStack } from '../shared/stack';

/**
 * Tiny data (synthetic-credit, 300 rows), one short canary step, low risk so both gates are
 * auto-approved by policy; with no traffic the rollout is inconclusive and `onInconclusive: hold`
 * sends it on to the (auto) promote gate.
 */
/**
 * Release i of a load run: seeded data and trainer, so its snapshot, split and metrics are the same
 * in every run. PII columns are dropped, not hashed: a hash is salted per deployment, and the random
 * split hashes each row as stored, so a hashed column made the split, and the test AUC of a weak
 * model, change with the salt (one release in about a dozen runs fell under `auc >= 0.5`).
 */
export function loadSpec(i: number, modelPrefix = 'load'): ModelSpec {
  return ModelSpecSchema.parse({
    id: `${modelPrefix}-${i}`,
    owner: 'owner@example.com',
    riskClass: 'low',
    data: { source: { kind: 'synthetic-credit', rows: 300, seed: i + 1 }, label: 'default', features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'], categorical: ['region'], pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'drop' }] },
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 30 }, seed: 7 },
    offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.5 }], maxSliceGap: 1, maxSliceRegression: 1, maxRegression: 1 },
    slo: { minSamples: 30, inconclusiveAfter: '1s', onInconclusive: 'hold' },
    strategy: { kind: 'canary', steps: [100], stepBake: '1s', postPromotionWatch: '1s' },
    approval: { approvers: ['alice@example.com'] },
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** A process's RSS (VmRSS) or its peak so far (VmHWM, kept by the kernel), in MB. */
const memOf = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Peak RSS (MB) of this process, the Temporal server and a worker process, sampled every 250 ms. */
function sampleMemory(pids: { temporal: number | undefined; worker: number | undefined }) {
  const peak = { selfMb: 0, temporalMb: 0, workerMb: 0 };
  const timer = setInterval(() => {
    peak.selfMb = Math.max(peak.selfMb, process.memoryUsage().rss / 2 ** 20);
    if (pids.temporal) peak.temporalMb = Math.max(peak.temporalMb, memOf(pids.temporal, 'VmRSS'));
    if (pids.worker) peak.workerMb = Math.max(peak.workerMb, memOf(pids.worker, 'VmRSS'));
  }, 250);
  return { peak, stop: () => clearInterval(timer) };
}

export const percentile = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]);
const round = (x: number, d = 1) => +x.toFixed(d);

/** Milliseconds each workflow task of the release waited between scheduled and started. */
async function workflowTaskWaits(h: WorkflowHandle): Promise<number[]> {
  const events = (await h.fetchHistory()).events ?? [];
  const scheduledAt = new Map<string, number>();
  const waits: number[] = [];
  for (const e of events) {
    const t = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    if (e.workflowTaskScheduledEventAttributes) scheduledAt.set(String(e.eventId), t);
    const started = e.workflowTaskStartedEventAttributes;
    const from = started ? scheduledAt.get(String(started.scheduledEventId)) : undefined;
    if (from !== undefined) waits.push(t - from);
  }
  return waits;
}

export interface LoadResult {
  releases: number;
  /** How the short registry steps ran (the release input's `shortSteps`). */
  shortSteps: ShortSteps;
  /** Where each rollout ran (the release input's `rolloutIn`). */
  rolloutIn: RolloutIn;
  workers: number;
  temporal: string;
  cores: number;
  wallSeconds: number;
  startAllSeconds: number;
  releasesPerMinute: number;
  completionSeconds: { p50: number; p95: number; max: number };
  /** How long workflow tasks queued before the worker picked them up: the first sign of saturation. */
  workflowTaskWaitMs: { p50: number; p95: number; p99: number };
  /** Where the worker ran: its own process (measured alone) or this one (worker and driver together). */
  workerProcess: 'child' | 'in-process';
  /**
   * Sampled over the run. worker: the worker process, or this one when the worker runs here; driver:
   * this process, when the worker does not run in it; workerSinceStart: the kernel's high-water mark
   * (VmHWM) of a worker process, start-up (bundling the workflow code) included.
   */
  peakRssMb: { worker: number; driver: number | null; workerSinceStart: number | null; temporalServer: number };
  /**
   * A worker process's own peaks by kind, MB, each on its own (bench/shared/memory-probe.ts: RSS,
   * anonymous and file-backed pages, the main thread's and the workflow thread's V8 heaps, array
   * buffers, native); null when it runs here.
   */
  workerMemoryPeakMb: Partial<MemorySample> | null;
  /** The same breakdown at the moment the worker's RSS peaked, and a timeline every 5 s. */
  workerMemoryAtPeakRssMb: (MemorySample & { threadHeaps: WorkerMemoryReport['threadsAtPeakRss'] }) | null;
  workerMemoryTimelineMb: WorkerMemoryReport['timeline'] | null;
  /** Average cores busy over the run (2 = both cores of this machine), split as peakRssMb is. */
  cpuCores: { worker: number; driver: number | null; temporalServer: number };
  outcomes: Record<string, number>;
  /**
   * Every release that ended other than promoted (up to 20), with its reasons, artifact and snapshot:
   * what a failed run names, since the histories go with the test's server.
   */
  notPromoted: Array<{ workflowId: string; outcome: string; reasons: string[]; artifactId?: string; snapshotId?: string }>;
  lost: number;
  stuck: number;
  stillRunningAfter: number;
  measuredAt: string;
}

/** What driving needs of a stack: the embedded bench stack, or the scale-out cluster (test/scale-out). */
export type LoadTarget = Pick<BenchStack, 'client' | 'taskQueue' | 'dataDir' | 'temporalPid' | 'workerPid' | 'workerMemoryPeak'>;

export async function driveLoad(
  stack: LoadTarget, o: { releases: number; timeoutMs: number; idPrefix?: string; shape?: Pick<LoadResult, 'workers' | 'temporal'>; shortSteps?: ShortSteps; rolloutIn?: RolloutIn;
    /** Model ids are `<modelPrefix>-<i>`: a second run on the same registry needs its own, or its artifacts are refused as the champion's (superseded). @default "load" */
    modelPrefix?: string },
): Promise<LoadResult> {
  const n = o.releases;
  const mem = sampleMemory({ temporal: stack.temporalPid, worker: stack.workerPid });
  const cpu0 = { self: process.cpuUsage(), temporal: stack.temporalPid ? cpuSecondsOf(stack.temporalPid) : 0, worker: stack.workerPid ? cpuSecondsOf(stack.workerPid) : 0 };
  const t0 = Date.now();
  const handles = await Promise.all(Array.from({ length: n }, (_, i) =>
    stack.client.workflow.start(releaseWorkflow, { taskQueue: stack.taskQueue, workflowId: `${o.idPrefix ?? 'release-load'}-${i}-${t0}`, args: [{ spec: loadSpec(i, o.modelPrefix), specDir: stack.dataDir, requester: 'carol@example.com', codeVersion: 'load', lockWait: '5m', ...(o.shortSteps ? { shortSteps: o.shortSteps } : {}), ...(o.rolloutIn ? { rolloutIn: o.rolloutIn } : {}) }] })));
  const startedMs = Date.now() - t0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), o.timeoutMs)));
  const outcomes: Record<string, number> = {};
  const notPromoted: LoadResult['notPromoted'] = [];
  const durations: number[] = [];
  const done = await Promise.all(handles.map(async (h) => {
    const ended = (outcome: string, reasons: string[], refs: { artifactId?: string; snapshotId?: string } = {}) => {
      if (outcome !== 'promoted' && notPromoted.length < 20) notPromoted.push({ workflowId: h.workflowId, outcome, reasons, ...refs });
      return outcome;
    };
    const r = await Promise.race([
      h.result().then((x) => ended(x.outcome, x.reasons, { artifactId: x.artifactId, snapshotId: x.snapshotId }), (e: Error) => ended(`error:${e.name}`, [e.message])),
      deadline,
    ]);
    if (r !== 'timeout') durations.push(Date.now() - t0);
    outcomes[r] = (outcomes[r] ?? 0) + 1;
    return r;
  }));
  clearTimeout(timer);
  const wallMs = Date.now() - t0;
  mem.stop();
  const selfCpu = process.cpuUsage(cpu0.self);
  const temporalCpu = stack.temporalPid ? cpuSecondsOf(stack.temporalPid) - cpu0.temporal : 0;
  const selfCores = round((selfCpu.user + selfCpu.system) / 1000 / wallMs, 2);
  const child = stack.workerPid;
  const worker = child ? { hwm: Math.round(memOf(child, 'VmHWM')), cores: round(((cpuSecondsOf(child) - cpu0.worker) * 1000) / wallMs, 2) } : null;
  // Asked of each execution, not of visibility (the list view lags behind on the dev server).
  const statuses = await Promise.all(handles.map(async (h) => (await h.describe()).status.name));
  const waits = (await Promise.all(handles.map(workflowTaskWaits))).flat();
  const memory = await stack.workerMemoryPeak();
  return {
    releases: n, shortSteps: o.shortSteps ?? 'local', rolloutIn: o.rolloutIn ?? 'release', ...(o.shape ?? { workers: 1, temporal: 'dev server, SQLite file' }), cores: os.cpus().length,
    wallSeconds: round(wallMs / 1000), startAllSeconds: round(startedMs / 1000),
    releasesPerMinute: round((done.filter((d) => d !== 'timeout').length / wallMs) * 60_000),
    completionSeconds: { p50: round(percentile(durations, 50) / 1000), p95: round(percentile(durations, 95) / 1000), max: round(Math.max(...durations) / 1000) },
    workflowTaskWaitMs: { p50: percentile(waits, 50), p95: percentile(waits, 95), p99: percentile(waits, 99) },
    workerProcess: worker ? 'child' : 'in-process',
    workerMemoryPeakMb: memory?.peak ?? null,
    workerMemoryAtPeakRssMb: memory?.atPeakRss ? { ...memory.atPeakRss, threadHeaps: memory.threadsAtPeakRss } : null,
    workerMemoryTimelineMb: memory?.timeline ?? null,
    peakRssMb: {
      worker: Math.round(worker ? mem.peak.workerMb : mem.peak.selfMb), driver: worker ? Math.round(mem.peak.selfMb) : null, workerSinceStart: worker?.hwm ?? null,
      temporalServer: Math.round(mem.peak.temporalMb),
    },
    cpuCores: { worker: worker?.cores ?? selfCores, driver: worker ? selfCores : null, temporalServer: round((temporalCpu * 1000) / wallMs, 2) },
    outcomes, notPromoted, lost: n - done.length, stuck: outcomes.timeout ?? 0, stillRunningAfter: statuses.filter((s) => s === 'RUNNING').length,
    measuredAt: new Date().toISOString(),
  };
}
