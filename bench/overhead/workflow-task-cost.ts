/**
 * What one workflow task costs the worker, without the server: replays checked-in release
 * histories (a promoted release with local short steps and its rollout child) many times in this
 * process and divides the worker's wall and CPU time by the workflow tasks replayed. Each round
 * replays one copy and `copies` copies; the difference over the extra tasks is the marginal cost
 * of a task, without the replay worker's own start (a thread evaluating the bundle) in it. Replay runs
 * the same workflow code through the same SDK path (new workflow in the reusable V8 context, one
 * activation per task), so it isolates the worker's share of `workflowTaskRun` from gRPC and the
 * dev server, and its CPU time is not inflated by other processes on a shared host.
 *
 * Variants run in the same process, alternating round by round (same noise for each); the first
 * round is warm-up. Each variant's bundle is built once up front.
 *
 *   node --import tsx bench/overhead/workflow-task-cost.ts [--rounds 6] [--copies 10] [--out workflow-task-cost] [--variants before,zod-only,after]
 * With `node --cpu-prof --cpu-prof-dir=DIR` and one variant, bench/overhead/profile-summary.ts --merge DIR says where the time goes.
 */
import { DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machine, writeBenchResult } from '../shared/results';
import { benchWorkflowBundle } from '../shared/workflow-bundles';
import { percentile } from '../load/drive';

const { values } = parseArgs({ options: { variants: { type: 'string', default: 'before,zod-only,after' }, rounds: { type: 'string', default: '6' }, copies: { type: 'string', default: '10' }, out: { type: 'string', default: 'workflow-task-cost' } } });
const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'histories');
const HISTORIES = ['promoted-local-steps', 'promoted-local-steps-rollout'];

interface History {
  events: Array<{ eventType?: string; workflowExecutionStartedEventAttributes?: { workflowId?: string } }>;
}

function load(name: string): { workflowId: string; history: History; tasks: number } {
  const raw = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as { history?: History } & History;
  const history = raw.history ?? raw;
  const workflowId = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? name;
  return { workflowId, history, tasks: history.events.filter((e) => /WORKFLOW_TASK_COMPLETED/.test(String(e.eventType))).length };
}

const ALL_VARIANTS: Array<{ name: string; note: string; bundle: () => Promise<WorkflowBundleWithSourceMap> }> = [
  { name: 'before', note: "the SDK's bundle options: every new workflow evaluates zod and every schema module again", bundle: () => benchWorkflowBundle('sdk-defaults') },
  { name: 'zod-only', note: 'zod shared, jitless (src/workflows/zod-config.ts preloaded): every new workflow evaluates the src/domain modules and builds their schemas again', bundle: () => benchWorkflowBundle('zod-only') },
  { name: 'after', note: "mlgate's bundle options (src/workers/bundle-options.ts)", bundle: () => benchWorkflowBundle('mlgate') },
];
const VARIANTS = ALL_VARIANTS.filter((v) => values.variants.split(',').includes(v.name));

/** One replay pass: `copies` times each history; returns wall and CPU ms. */
async function pass(bundle: WorkflowBundleWithSourceMap, histories: ReturnType<typeof load>[], copies: number): Promise<{ wallMs: number; cpuMs: number }> {
  const all = Array.from({ length: copies }, () => histories.map((h) => ({ workflowId: h.workflowId, history: h.history }))).flat();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, all as never)) if (r.error) throw r.error;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const loadBefore = loadavg()[0];
  const rounds = Number(values.rounds);
  const copies = Number(values.copies);
  const histories = HISTORIES.map(load);
  const tasksPerPass = copies * histories.reduce((a, h) => a + h.tasks, 0);
  const bundles = await Promise.all(VARIANTS.map((v) => v.bundle()));
  const per = VARIANTS.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r <= rounds; r++) {
    for (const [i] of VARIANTS.entries()) {
      const one = await pass(bundles[i]!, histories, 1);
      const many = await pass(bundles[i]!, histories, copies);
      if (r === 0) continue; // warm-up
      const extraTasks = tasksPerPass - tasksPerPass / copies;
      per[i]!.wall.push((many.wallMs - one.wallMs) / extraTasks);
      per[i]!.cpu.push((many.cpuMs - one.cpuMs) / extraTasks);
    }
  }
  const stat = (xs: number[]) => ({ p50: +percentile(xs, 50).toFixed(2), min: +Math.min(...xs).toFixed(2), max: +Math.max(...xs).toFixed(2) });
  const variants = VARIANTS.map((v, i) => ({
    variant: v.name, note: v.note, bundleKb: Math.round(bundles[i]!.code.length / 1024), wallMsPerTask: stat(per[i]!.wall), cpuMsPerTask: stat(per[i]!.cpu),
  }));
  for (const v of variants) console.log(`${v.variant}: ${v.wallMsPerTask.p50} ms wall, ${v.cpuMsPerTask.p50} ms CPU per workflow task (bundle ${v.bundleKb} KB)`);
  await writeBenchResult(values.out, {
    benchmark: 'worker cost of one workflow task, replayed without the server',
    definition:
      `replay of ${HISTORIES.join(' + ')} (${tasksPerPass / copies} workflow tasks, 2 new workflows per release) x ${copies} per pass and once, ${rounds} rounds per variant after one warm-up; ` +
      'per task = (time of the copies - time of one) / the extra tasks; CPU = this process (main + workflow threads + core)',
    variants,
    machine: machine(loadBefore),
    loadAvg: { before: loadBefore, after: loadavg() },
    measuredAt: new Date().toISOString(),
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
