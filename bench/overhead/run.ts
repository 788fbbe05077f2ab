/**
 * Orchestration overhead per stage: how much time each step of a release adds beyond its
 * activity's own work (goal: p95 under 50 ms), and where that time goes (workflow task queueing,
 * the worker running workflow code, activity dispatch). Read from the real histories of real
 * releases on the embedded stack.
 *
 * Three Temporal persistence variants in the same run, one fresh stack each: the dev server's
 * SQLite file with mlgate's pragmas (WAL, synchronous=normal; what `mlgate dev` runs), the same
 * file with SQLite's own defaults (the baseline), and the in-memory server (no file at all).
 * Each variant runs releases one at a time (pure overhead) and then a concurrent batch (overhead
 * under queueing, plus releases per minute).
 *
 *   node --import tsx bench/overhead/run.ts [--sequential 10] [--concurrent 50] [--out overhead.json]
 */
import type { WorkflowHandle } from '@temporalio/client';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SQLITE_PRAGMAS } from '../../src/temporal/dev-server';
import { releaseWorkflow } from '../../src/workflows/release';
import { loadSpec, percentile } from '../load/drive';
import { startBenchStack, type BenchStack } from '../shared/stack';
import { childWorkflowIds, stepOverheads, type StepOverhead } from './step-overhead';

const { values } = parseArgs({ options: { sequential: { type: 'string', default: '10' }, concurrent: { type: 'string', default: '50' }, out: { type: 'string', default: 'overhead.json' } } });

const VARIANTS = [
  { name: 'sqlite-wal', persist: true, sqlitePragmas: SQLITE_PRAGMAS, note: "SQLite file, mlgate's pragmas (journal_mode=wal, synchronous=normal): what mlgate dev runs" },
  { name: 'sqlite-defaults', persist: true, sqlitePragmas: [] as readonly string[], note: "SQLite file, SQLite's own defaults (rollback journal, synchronous=full): the baseline" },
  { name: 'in-memory', persist: false, note: 'dev server without a file: the floor' },
] as const;

let seq = 0;
function start(stack: BenchStack, i: number): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  return stack.client.workflow.start(releaseWorkflow, {
    taskQueue: stack.taskQueue, workflowId: `release-overhead-${i}-${Date.now()}-${seq++}`,
    args: [{ spec: loadSpec(i), specDir: stack.dataDir, requester: 'carol@example.com', codeVersion: 'overhead', lockWait: '5m' }],
  });
}

/** Every step of a release and of its rollout child. */
async function overheadsOf(stack: BenchStack, h: WorkflowHandle): Promise<StepOverhead[]> {
  const events = (await h.fetchHistory()).events ?? [];
  const children = await Promise.all(childWorkflowIds(events).map(async (id) => (await stack.client.workflow.getHandle(id).fetchHistory()).events ?? []));
  return [events, ...children].flatMap(stepOverheads);
}

const stats = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: xs.length ? Math.max(...xs) : NaN });

function summarize(steps: StepOverhead[]) {
  const byActivity: Record<string, ReturnType<typeof stats>> = {};
  for (const name of [...new Set(steps.map((s) => s.activity))].sort()) byActivity[name] = stats(steps.filter((s) => s.activity === name).map((s) => s.totalMs));
  return {
    allStepsMs: stats(steps.map((s) => s.totalMs)),
    whereItGoesP95Ms: { wftQueue: percentile(steps.map((s) => s.wftQueueMs), 95), wftRun: percentile(steps.map((s) => s.wftRunMs), 95), actQueue: percentile(steps.map((s) => s.actQueueMs), 95) },
    byActivity,
  };
}

async function runVariant(v: (typeof VARIANTS)[number], sequential: number, concurrent: number) {
  const stack = await startBenchStack({ name: `overhead-${v.name}`, persist: v.persist, ...('sqlitePragmas' in v ? { sqlitePragmas: v.sqlitePragmas } : {}) });
  try {
    const one: StepOverhead[] = [];
    for (let i = 0; i < sequential; i++) {
      const h = await start(stack, i);
      await h.result();
      one.push(...(await overheadsOf(stack, h)));
    }
    const t0 = Date.now();
    const batch = await Promise.all(Array.from({ length: concurrent }, (_, i) => start(stack, 1000 + i)));
    const outcomes = await Promise.all(batch.map((h) => h.result().then((r) => r.outcome as string)));
    const wallMs = Date.now() - t0;
    const many = (await Promise.all(batch.map((h) => overheadsOf(stack, h)))).flat();
    const result = {
      variant: v.name, note: v.note,
      oneAtATime: summarize(one),
      concurrent: { releases: concurrent, releasesPerMinute: +((concurrent / wallMs) * 60_000).toFixed(1), promoted: outcomes.filter((o) => o === 'promoted').length, ...summarize(many) },
    };
    console.log(`${v.name}: one at a time p95 ${result.oneAtATime.allStepsMs.p95} ms; ${concurrent} concurrent p95 ${result.concurrent.allStepsMs.p95} ms, ${result.concurrent.releasesPerMinute}/min`);
    return result;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  const sequential = Number(values.sequential);
  const concurrent = Number(values.concurrent);
  const variants = [];
  for (const v of VARIANTS) variants.push(await runVariant(v, sequential, concurrent));
  const goalMs = 50;
  const doc = {
    benchmark: 'orchestration overhead per stage',
    goal: `p95 of the time a step adds beyond its activity's own work < ${goalMs} ms (one release at a time, ${VARIANTS[0].name})`,
    goalMet: variants[0].oneAtATime.allStepsMs.p95 < goalMs,
    variants,
    definition: 'per activity: from the event that woke the workflow (previous completion, timer, start) to the activity starting its own work; wftQueue + wftRun + actQueue is where it goes',
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(join(__dirname, '..', 'results', values.out), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(JSON.stringify({ goal: doc.goal, goalMet: doc.goalMet }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
