/**
 * Load: concurrent releases on one worker and the embedded dev server (SQLite file), swept over
 * several concurrency levels, each on a fresh stack. Reports per level wall time, releases/min,
 * completion percentiles, workflow-task queueing, peak RSS and CPU of the worker and the Temporal
 * server, and lost/stuck counts; then where throughput stops growing (the saturation point).
 *
 * One more run at --in-memory-at (default 200) uses the dev server without its SQLite file: the
 * difference is what the file's writes cost, i.e. whether persistence is where it saturates.
 * Another at --sqlite-defaults-at (default 200) runs the file with SQLite's own defaults instead
 * of mlgate's pragmas (WAL, synchronous=normal): the baseline those pragmas are measured against.
 * Another at --short-steps-baseline-at (default 200) runs the short registry steps as ordinary
 * activities (release input `shortSteps: 'activities'`) instead of local ones: the baseline for
 * that change. Another at --child-rollout-baseline-at (default 200) runs each rollout in a child
 * workflow (release input `rolloutIn: 'child'`) instead of in the release: the baseline for that.
 *
 *   node --import tsx bench/load/run.ts [--levels 25,50,100,200,400] [--in-memory-at 200] [--sqlite-defaults-at 200] [--timeout-min 15] [--out load]
 *     [--short-steps-baseline-at 200] [--child-rollout-baseline-at 200] [--baseline-last]
 *     [--max-cached-workflows N] [--max-activities N] [--max-workflow-tasks N] [--max-local-activities N]   (the worker's bounds; mlgate's defaults otherwise)
 *     [--worker-node-flags="--max-old-space-size=256"] [--heap-growing-percent N]   (N: the worker's V8 heap growth, mlgate's default otherwise)
 *     [--heap-growing-baseline]   (one more run at 200 with V8's own heap growth, --heap-growing-percent 0: the baseline for a bound such as --heap-growing-percent 20)
 *     [--probe-live-heap]         (diagnosis: a full GC in the worker's threads before each heap reading)
 *     [--sdk-bundle-baseline-at 200]   (also that level with the workflow bundle built with the SDK's defaults: the baseline for src/workers/bundle-options.ts)
 *     [--workflow-threads N]          (threads running workflow code, the SDK's 1 otherwise)
 *     [--dev-config JSON]             (the dev server's dynamic configuration, e.g. '{"matching.numTaskqueueReadPartitions":1}'; none otherwise)
 *     [--zod-only-baseline-at 200]     (also that level with workflows sharing zod only, each evaluating its own src/domain modules and schemas: the baseline for sharing them)
 *
 * The worker process reports where its memory is at peak RSS (bench/shared/memory-probe.ts).
 */
import { loadavg } from 'node:os';
import { z } from 'zod';
import { parseArgs } from 'node:util';
import { WORKER_HEAP_GROWING_PERCENT_DEFAULT, WORKER_LIMIT_DEFAULTS } from '../../src/config/env';
import type { RolloutIn, ShortSteps } from '../../src/domain/release';
import { formatIssues } from '../../src/domain/errors';
import type { DynamicConfigValue } from '../../src/temporal/dev-server';
import { machine, writeBenchResult } from '../shared/results';
import { benchWorkflowBundle } from '../shared/workflow-bundles';
import { startBenchStack } from '../shared/stack';
import { driveLoad, type LoadResult } from './drive';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '25,50,100,200,400' }, 'in-memory-at': { type: 'string', default: '200' }, 'sqlite-defaults-at': { type: 'string', default: '200' },
    'short-steps-baseline-at': { type: 'string', default: '200' }, 'child-rollout-baseline-at': { type: 'string', default: '200' }, 'baseline-last': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '15' }, out: { type: 'string', default: 'load' },
    // The worker's bounds; mlgate's defaults (WORKER_LIMIT_DEFAULTS) when not given.
    'max-cached-workflows': { type: 'string' }, 'heap-growing-percent': { type: 'string' }, 'heap-growing-baseline': { type: 'boolean', default: false }, 'max-activities': { type: 'string' }, 'max-workflow-tasks': { type: 'string' }, 'max-local-activities': { type: 'string' },
    'worker-node-flags': { type: 'string', default: '' }, 'sdk-bundle-baseline-at': { type: 'string', default: '0' },
    'zod-only-baseline-at': { type: 'string', default: '0' }, 'workflow-threads': { type: 'string' },
    // The dev server's dynamic configuration as JSON, e.g. '{"system.enableActivityEagerExecution":true}' (none otherwise).
    'dev-config': { type: 'string' },
    // Diagnosis: a full GC in the worker's threads before each heap reading (live memory; slows the worker).
    'probe-live-heap': { type: 'boolean', default: false },
  },
});
const LEVELS = values.levels.split(',').map(Number);
const TIMEOUT_MS = Number(values['timeout-min']) * 60_000;
const DevConfigSchema = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));
function devConfig(raw: string | undefined): Record<string, DynamicConfigValue> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`--dev-config: not JSON (${raw}); give an object such as '{"system.enableActivityEagerExecution":true}'`);
  }
  const r = DevConfigSchema.safeParse(json);
  if (!r.success) throw new Error(`--dev-config: must be an object of dynamic-config keys to strings, numbers or booleans (${formatIssues(r.error.issues).join('; ')})`);
  return r.data;
}
const DEV_CONFIG = devConfig(values['dev-config']);
const NODE_FLAGS = values['worker-node-flags'].split(' ').filter(Boolean);
const LIMITS = {
  maxCachedWorkflows: Number(values['max-cached-workflows'] ?? WORKER_LIMIT_DEFAULTS.maxCachedWorkflows),
  maxConcurrentActivities: Number(values['max-activities'] ?? WORKER_LIMIT_DEFAULTS.maxConcurrentActivities),
  maxConcurrentWorkflowTasks: Number(values['max-workflow-tasks'] ?? WORKER_LIMIT_DEFAULTS.maxConcurrentWorkflowTasks),
  heapGrowingPercent: Number(values['heap-growing-percent'] ?? WORKER_HEAP_GROWING_PERCENT_DEFAULT),
  // Not mlgate's bounds yet: the SDK's defaults unless given.
  ...(values['workflow-threads'] ? { workflowThreads: Number(values['workflow-threads']) } : {}),
  ...(values['max-local-activities'] ? { maxConcurrentLocalActivities: Number(values['max-local-activities']) } : {}),
};

/** The first level whose next doubling adds less than 15% throughput: more concurrency only queues. */
function saturation(levels: LoadResult[]) {
  const knee = levels.find((l, i) => i + 1 < levels.length && levels[i + 1].releasesPerMinute < l.releasesPerMinute * 1.15);
  const best = levels.reduce((a, b) => (b.releasesPerMinute > a.releasesPerMinute ? b : a));
  return {
    saturatesAtConcurrentReleases: knee?.releases ?? null,
    peakReleasesPerMinute: best.releasesPerMinute,
    cpuCoresAtPeak: best.cpuCores,
    rule: 'first level whose next (larger) level adds less than 15% releases/min',
  };
}

type Persistence = 'file' | 'memory' | 'file-sqlite-defaults';
type Run = { persistence: Persistence; shortSteps: ShortSteps; rolloutIn?: RolloutIn; heapGrowingPercent?: number; workflowBundle?: { code: string } };
const LABEL: Record<Persistence, string> = { file: "SQLite file, mlgate's pragmas", memory: 'in memory', 'file-sqlite-defaults': "SQLite file, SQLite's defaults" };

async function runLevel(n: number, { persistence, shortSteps, rolloutIn, heapGrowingPercent, workflowBundle }: Run): Promise<LoadResult & { heapGrowingPercent: number }> {
  const limits = { ...LIMITS, ...(heapGrowingPercent !== undefined ? { heapGrowingPercent } : {}) };
  const stack = await startBenchStack({
    name: `load-${n}-${persistence}`, persist: persistence !== 'memory', workerInChild: true, workerLimits: limits, workerNodeFlags: NODE_FLAGS, workerProbe: { collectThreadGarbage: values['probe-live-heap'] },
    ...(persistence === 'file-sqlite-defaults' ? { sqlitePragmas: [] } : {}), ...(DEV_CONFIG ? { devDynamicConfig: DEV_CONFIG } : {}), ...(workflowBundle ? { workflowBundle } : {}),
  });
  try {
    const r = { ...(await driveLoad(stack, { releases: n, timeoutMs: TIMEOUT_MS, shortSteps, ...(rolloutIn ? { rolloutIn } : {}) })), temporal: `dev server, ${LABEL[persistence]}`, heapGrowingPercent: limits.heapGrowingPercent };
    console.log(`${n} releases (${LABEL[persistence]}, short steps ${shortSteps}, rollout in ${r.rolloutIn}, heap growing ${limits.heapGrowingPercent}%): ${r.wallSeconds} s, ${r.releasesPerMinute}/min, task wait p95 ${r.workflowTaskWaitMs.p95} ms, cpu worker ${r.cpuCores.worker} driver ${r.cpuCores.driver} temporal ${r.cpuCores.temporalServer}, peak RSS worker ${r.peakRssMb.worker} MB (since start ${r.peakRssMb.workerSinceStart}), outcomes ${JSON.stringify(r.outcomes)}`);
    if (r.workerMemoryAtPeakRssMb) console.log(`  worker memory at peak RSS (MB): ${JSON.stringify(r.workerMemoryAtPeakRssMb)}`);
    return r;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const levels: LoadResult[] = [];
  // Order matters on a shared host (later runs meet whatever load has built up): --baseline-last swaps it.
  const baselineAt = Number(values['short-steps-baseline-at']);
  const baseline = () => (baselineAt > 0 ? runLevel(baselineAt, { persistence: 'file', shortSteps: 'activities' }) : Promise.resolve(undefined));
  const childAt = Number(values['child-rollout-baseline-at']);
  const childBaseline = () => (childAt > 0 ? runLevel(childAt, { persistence: 'file', shortSteps: 'local', rolloutIn: 'child' }) : Promise.resolve(undefined));
  const heapBaseline = () => (values['heap-growing-baseline'] ? runLevel(200, { persistence: 'file', shortSteps: 'local', heapGrowingPercent: 0 }) : Promise.resolve(undefined));
  let heapGrowingBaseline = values['baseline-last'] ? undefined : await heapBaseline();
  let shortStepsAsActivities = values['baseline-last'] ? undefined : await baseline();
  let rolloutInChild = values['baseline-last'] ? undefined : await childBaseline();
  for (const n of LEVELS) levels.push(await runLevel(n, { persistence: 'file', shortSteps: 'local' }));
  if (values['baseline-last']) shortStepsAsActivities = await baseline();
  if (values['baseline-last']) rolloutInChild = await childBaseline();
  if (values['baseline-last']) heapGrowingBaseline = await heapBaseline();
  const inMemoryAt = Number(values['in-memory-at']);
  const inMemory = inMemoryAt > 0 ? await runLevel(inMemoryAt, { persistence: 'memory', shortSteps: 'local' }) : undefined;
  const defaultsAt = Number(values['sqlite-defaults-at']);
  const sqliteDefaults = defaultsAt > 0 ? await runLevel(defaultsAt, { persistence: 'file-sqlite-defaults', shortSteps: 'local' }) : undefined;
  const sdkBundleAt = Number(values['sdk-bundle-baseline-at']);
  const sdkBundle = sdkBundleAt > 0
    ? await runLevel(sdkBundleAt, { persistence: 'file', shortSteps: 'local', workflowBundle: await benchWorkflowBundle('sdk-defaults') })
    : undefined;
  const zodOnlyAt = Number(values['zod-only-baseline-at']);
  const zodOnly = zodOnlyAt > 0 ? await runLevel(zodOnlyAt, { persistence: 'file', shortSteps: 'local', workflowBundle: await benchWorkflowBundle('zod-only') }) : undefined;
  const at200 = levels.find((l) => l.releases === 200);
  const result = {
    ...(at200 ? { at200 } : {}),
    ...(inMemory ? { inMemory } : {}),
    ...(sqliteDefaults ? { sqliteDefaults } : {}),
    ...(shortStepsAsActivities ? { shortStepsAsActivities } : {}),
    ...(rolloutInChild ? { rolloutInChild: { ...rolloutInChild, note: 'each rollout in a child workflow (release input rolloutIn: child), as before the rollout-in-release patch: the baseline for running it in the release' } } : {}),
    ...(sdkBundle ? { sdkBundleBaseline: { ...sdkBundle, note: "workflow bundle built with the SDK's defaults (each new workflow evaluates zod again, zod compiles its parsers)" } } : {}),
    ...(heapGrowingBaseline ? { heapGrowingBaseline } : {}),
    ...(zodOnly ? { zodOnlyBaseline: { ...zodOnly, note: 'workflows share zod only (src/workflows/zod-config.ts preloaded): each evaluates its own src/domain modules and schemas, as before they were shared' } } : {}),
    workerLimits: LIMITS,
    workerNodeFlags: NODE_FLAGS,
    devDynamicConfig: DEV_CONFIG ?? null,
    saturation: saturation(levels),
    levels,
    notes: "Each level on a fresh embedded stack: Temporal CLI dev server with a SQLite file (mlgate's pragmas: journal_mode=wal, synchronous=normal), one worker (releases queue) in its own process with workerLimits, this process driving (and serving the gateway). Low-risk specs (gates auto-approved), 300-row synthetic data, 1 s bakes. cpuCores = average cores busy over the run.",
  };
  await writeBenchResult(values.out.replace(/\.json$/, ''), { ...result, machine: machine(loadBefore), loadAvg: { before: loadBefore, after: loadavg() } });
  console.log(JSON.stringify(result.saturation, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
