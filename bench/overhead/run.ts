/**
 * Orchestration overhead per release stage (goal: p95 under 50 ms per stage): the time each stage
 * (snapshot, train, evaluate, register, deploy, rollout, promote, post-promotion watch, complete)
 * adds beyond its activities' own work, and where it goes (workflow tasks queueing for the worker,
 * workflow tasks running, activities queueing). Real releases on the embedded stack; own work is
 * timed on the worker (bench/overhead/work-log.ts), the rest read from the real histories.
 *
 * Four variants in the same run, on two fresh stacks:
 *   - the dev server's SQLite file with mlgate's pragmas (what `mlgate dev` runs) and the in-memory
 *     dev server (no file: the difference is what persisting history costs);
 *   - on each, three modes (`--modes`): `local`, the default (short registry steps as local
 *     activities, the rollout in the release); `child-rollout`, as `local` with the rollout in a
 *     child workflow (release input `rolloutIn: 'child'`, as before): the baseline for that change;
 *     `activities`, short steps as ordinary activities and the rollout child (as before #16).
 * On each stack, releases one at a time (pure overhead; the two modes alternate), then one
 * concurrent batch per mode (overhead under queueing, and releases per minute).
 *
 *   node --import tsx bench/overhead/run.ts [--sequential 10] [--concurrent 50] [--out overhead]
 *     [--stacks sqlite-wal,in-memory] [--modes activities,child-rollout,local]   (a subset, e.g. to profile one variant; --concurrent 0 skips the batches)
 *     [--stacks sqlite-wal-sdk-bundle,sqlite-wal,sqlite-wal-sdk-bundle,sqlite-wal]   (before/after mlgate's workflow bundle options, src/workers/bundle-options.ts, in turns)
 *     [--stacks sqlite-wal-zod-only,sqlite-wal,sqlite-wal-zod-only,sqlite-wal]       (before/after sharing the domain schemas, in turns)
 */
import type { WorkflowHandle } from '@temporalio/client';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { RolloutIn, ShortSteps } from '../../src/domain/release';
import { releaseWorkflow } from '../../src/workflows/release';
import { loadSpec, percentile } from '../load/drive';
import { machine, writeBenchResult } from '../shared/results';
import { benchWorkflowBundle } from '../shared/workflow-bundles';
import { startBenchStack, type BenchStack } from '../shared/stack';
import { STAGES, stageOverheads, type StageFigures } from './stages';
import { childWorkflowIds, historyShape, startAndEnd, stepOverheads, workflowTasks } from './step-overhead';
import { createWorkLog, type WorkRecord } from './work-log';

const { values } = parseArgs({
  options: {
    sequential: { type: 'string', default: '10' }, concurrent: { type: 'string', default: '50' }, out: { type: 'string', default: 'overhead' },
    stacks: { type: 'string', default: 'sqlite-wal,in-memory' }, modes: { type: 'string', default: 'activities,child-rollout,local' },
  },
});
const GOAL_MS = 50;

const ALL_STACKS = [
  { persist: true, name: 'sqlite-wal', note: "dev server with its SQLite file and mlgate's pragmas (what mlgate dev runs)" },
  { persist: false, name: 'in-memory', note: 'dev server without a file: the difference is what persisting history costs' },
  // Not run by default: the baseline for mlgate's bundle options (shared zod, jitless), e.g. --stacks sqlite-wal-sdk-bundle,sqlite-wal.
  { persist: true, name: 'sqlite-wal-sdk-bundle', sdkBundle: true, note: "as sqlite-wal, with the workflow bundle built with the SDK's default options (every new workflow evaluates zod again, zod compiles its parsers): the baseline for src/workers/bundle-options.ts" },
  // The baseline for sharing the domain schemas (src/workflows/shared-modules.ts), e.g. --stacks sqlite-wal-zod-only,sqlite-wal.
  { persist: true, name: 'sqlite-wal-zod-only', zodOnly: true, note: 'as sqlite-wal, with workflows sharing zod only (src/workflows/zod-config.ts preloaded): every new workflow evaluates the src/domain modules and builds their schemas again, the default before they were shared' },
] as const;
// In the order given; a name may repeat (e.g. before,after,before,after: the host's drift shared out).
const STACKS = values.stacks.split(',').map((name) => {
  const st = ALL_STACKS.find((s) => s.name === name);
  if (!st) throw new Error(`--stacks: unknown stack "${name}"; use ${ALL_STACKS.map((s) => s.name).join(', ')}`);
  return st;
});
/** In the order --modes gives; one at a time they alternate, so each mode sees the same noise. */
type ModeName = 'activities' | 'child-rollout' | 'local';
interface Mode { name: ModeName; shortSteps: ShortSteps; rolloutIn: RolloutIn; note: string }
const ALL_MODES: readonly Mode[] = [
  { name: 'activities', shortSteps: 'activities', rolloutIn: 'child', note: 'short registry steps as ordinary activities and the rollout in a child workflow (before #16 item 2/3)' },
  { name: 'child-rollout', shortSteps: 'local', rolloutIn: 'child', note: 'short registry steps as local activities, the rollout in a child workflow (before the rollout-in-release patch): the baseline' },
  { name: 'local', shortSteps: 'local', rolloutIn: 'release', note: 'short registry steps as local activities, the rollout in the release (the default)' },
];
const MODES = values.modes.split(',').map((name) => {
  const m = ALL_MODES.find((x) => x.name === name);
  if (!m) throw new Error(`--modes: unknown mode "${name}"; use ${ALL_MODES.map((x) => x.name).join(', ')}`);
  return m;
});

let seq = 0;
function start(stack: BenchStack, i: number, { shortSteps, rolloutIn }: Mode): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  return stack.client.workflow.start(releaseWorkflow, {
    taskQueue: stack.taskQueue, workflowId: `release-overhead-${i}-${Date.now()}-${seq++}`,
    args: [{ spec: loadSpec(i), specDir: stack.dataDir, requester: 'carol@example.com', codeVersion: 'overhead', lockWait: '5m', shortSteps, rolloutIn }],
  });
}

type Events = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

interface Measured {
  stages: StageFigures;
  histories: Events[];
}

/** One finished release: its stage figures (from its own work, and its rollout child's if it ran one) and its histories. */
async function measure(stack: BenchStack, h: WorkflowHandle, records: WorkRecord[]): Promise<Measured> {
  const events = (await h.fetchHistory()).events ?? [];
  const childIds = new Set(childWorkflowIds(events));
  const children = await Promise.all([...childIds].map(async (id) => (await stack.client.workflow.getHandle(id).fetchHistory()).events ?? []));
  const mine = records.filter((r) => r.workflowId === h.workflowId || childIds.has(r.workflowId));
  return { stages: stageOverheads({ records: mine, ...startAndEnd(events) }), histories: [events, ...children] };
}

const stats = (xs: number[]) => ({ n: xs.length, p50: +percentile(xs, 50).toFixed(1), p95: +percentile(xs, 95).toFixed(1), max: xs.length ? +Math.max(...xs).toFixed(1) : NaN });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

type Shape = ReturnType<typeof historyShape>;
const addShapes = (a: Shape, b: Shape): Shape => ({
  events: a.events + b.events, workflowTasks: a.workflowTasks + b.workflowTasks, activities: a.activities + b.activities, localActivities: a.localActivities + b.localActivities,
});

function summarize(runs: Measured[]) {
  const perStage: Record<string, ReturnType<typeof stats> & { ownWorkP50: number }> = {};
  for (const s of STAGES) {
    const withStage = runs.filter((r) => r.stages.overheadMs[s] !== undefined);
    if (!withStage.length) continue;
    const ownWorkP50 = +percentile(withStage.map((r) => r.stages.workMs[s] ?? 0), 50).toFixed(1);
    perStage[s] = { ...stats(withStage.map((r) => r.stages.overheadMs[s]!)), ownWorkP50 };
  }
  const histories = runs.flatMap((r) => r.histories);
  const wfts = histories.flatMap(workflowTasks);
  const shapes = runs.map((r) => r.histories.map(historyShape).reduce(addShapes));
  const worstStage = Object.entries(perStage).reduce((a, b) => (b[1].p95 > a[1].p95 ? b : a));
  return {
    perStageOverheadMs: perStage,
    worstStageP95: { stage: worstStage[0], ms: worstStage[1].p95 },
    everyStageP95Under50Ms: Object.values(perStage).every((s) => s.p95 < GOAL_MS),
    perReleaseOverheadMs: stats(runs.map((r) => sum(Object.values(r.stages.overheadMs)))),
    whereItGoesMs: {
      workflowTaskQueue: stats(wfts.map((w) => w.queueMs)),
      workflowTaskRun: stats(wfts.map((w) => w.runMs)),
      activityScheduleToStart: stats(histories.flatMap(stepOverheads).map((s) => s.actQueueMs)),
    },
    perRelease: {
      workflowTasks: percentile(shapes.map((s) => s.workflowTasks), 50),
      historyEvents: percentile(shapes.map((s) => s.events), 50),
      activities: percentile(shapes.map((s) => s.activities), 50),
      localActivities: percentile(shapes.map((s) => s.localActivities), 50),
    },
  };
}

/**
 * One stack, both short-step modes on it: one at a time they alternate release by release (the
 * same noise for both), then one concurrent batch per mode. The first release of each mode warms
 * the worker (bundle, caches) and is not counted.
 */
async function runStack(st: (typeof STACKS)[number], sequential: number, concurrent: number) {
  const log = createWorkLog();
  const workflowBundle = 'sdkBundle' in st ? await benchWorkflowBundle('sdk-defaults') : 'zodOnly' in st ? await benchWorkflowBundle('zod-only') : undefined;
  const stack = await startBenchStack({ name: `overhead-${st.name}`, persist: st.persist, wrapActivities: (a) => log.wrap(a), ...(workflowBundle ? { workflowBundle } : {}) });
  try {
    const one = new Map<ModeName, Measured[]>(MODES.map((m) => [m.name, []]));
    // This process's CPU while each release ran (worker, activities and driver; the server apart), ms.
    const cpuMs = new Map<ModeName, number[]>(MODES.map((m) => [m.name, []]));
    // Every release its own model: a second release of the same spec would be superseded (same artifact).
    for (let i = -1; i < sequential; i++) {
      for (const [k, m] of MODES.entries()) {
        const cpu0 = process.cpuUsage();
        const h = await start(stack, MODES.length * (i + 1) + k, m);
        await h.result();
        const cpu = process.cpuUsage(cpu0);
        if (i < 0) continue;
        cpuMs.get(m.name)!.push((cpu.user + cpu.system) / 1000);
        one.get(m.name)!.push(await measure(stack, h, log.records));
      }
    }
    const results = [];
    for (const [k, m] of MODES.entries()) {
      const r0 = {
        variant: `${st.name}, ${m.name}`, note: `${st.note}; ${m.note}`, mode: m.name, shortSteps: m.shortSteps, rolloutIn: m.rolloutIn, stack: st.name as string, persisted: st.persist,
        oneAtATime: { ...summarize(one.get(m.name)!), processCpuMsPerRelease: stats(cpuMs.get(m.name)!) },
      };
      if (concurrent === 0) {
        console.log(`${r0.variant}: one at a time worst stage p95 ${r0.oneAtATime.worstStageP95.ms} ms (${r0.oneAtATime.worstStageP95.stage}), per release p50 ${r0.oneAtATime.perReleaseOverheadMs.p50} ms, workflow task run p50/p95 ${r0.oneAtATime.whereItGoesMs.workflowTaskRun.p50}/${r0.oneAtATime.whereItGoesMs.workflowTaskRun.p95} ms, process CPU per release p50 ${r0.oneAtATime.processCpuMsPerRelease.p50} ms`);
        results.push({ ...r0, concurrent: null, loadAvg1mAfter: loadavg()[0] });
        continue;
      }
      const t0 = Date.now();
      const batch = await Promise.all(Array.from({ length: concurrent }, (_, i) => start(stack, 1000 + k * concurrent + i, m)));
      const outcomes = await Promise.all(batch.map((h) => h.result().then((r) => r.outcome as string)));
      const wallMs = Date.now() - t0;
      const many = await Promise.all(batch.map((h) => measure(stack, h, log.records)));
      const r = {
        ...r0,
        concurrent: { releases: concurrent, releasesPerMinute: +((concurrent / wallMs) * 60_000).toFixed(1), promoted: outcomes.filter((o) => o === 'promoted').length, ...summarize(many) },
        loadAvg1mAfter: loadavg()[0],
      };
      console.log(`${r.variant}: one at a time worst stage p95 ${r.oneAtATime.worstStageP95.ms} ms (${r.oneAtATime.worstStageP95.stage}), per release p50 ${r.oneAtATime.perReleaseOverheadMs.p50} ms; ${concurrent} concurrent worst stage p95 ${r.concurrent!.worstStageP95.ms} ms, ${r.concurrent.releasesPerMinute}/min`);
      results.push(r);
    }
    return results;
  } finally {
    await stack.close();
  }
}

type VariantResult = Awaited<ReturnType<typeof runStack>>[number];

/** Per stage, one at a time: p95 on the file minus p95 in memory, with the same short-step mode = what persisting history adds. */
function persistenceCost(variants: VariantResult[], mode: ModeName): Record<string, number> | null {
  const file = variants.find((v) => v.stack === 'sqlite-wal' && v.mode === mode)?.oneAtATime.perStageOverheadMs;
  const mem = variants.find((v) => v.stack === 'in-memory' && v.mode === mode)?.oneAtATime.perStageOverheadMs;
  if (!file || !mem) return null; // a subset run (--stacks/--modes) without both
  return Object.fromEntries(Object.keys(file).filter((s) => mem[s]).map((s) => [s, +(file[s].p95 - mem[s].p95).toFixed(1)]));
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const sequential = Number(values.sequential);
  const concurrent = Number(values.concurrent);
  const variants: VariantResult[] = [];
  for (const st of STACKS) variants.push(...(await runStack(st, sequential, concurrent)));
  const head = variants.find((v) => v.stack === 'sqlite-wal' && v.mode === 'local') ?? variants[0];
  await writeBenchResult(values.out, {
    benchmark: 'orchestration overhead per release stage',
    goal: `p95 of the time each stage adds beyond its activities' own work < ${GOAL_MS} ms (one release at a time, ${head.variant})`,
    goalMet: head.oneAtATime.everyStageP95Under50Ms,
    definition: "a stage's overhead = the time in that stage during which none of the release's activities (or its rollout child's) was working, summed; own work timed on the worker, ordinary and local activities alike",
    historyPersistenceP95Ms: Object.fromEntries(MODES.map((m) => [m.name, persistenceCost(variants, m.name)])),
    variants,
    releasesAtOnce: { sequential, concurrent },
    machine: machine(loadBefore),
    loadAvg: { before: loadBefore, after: loadavg() },
    measuredAt: new Date().toISOString(),
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
