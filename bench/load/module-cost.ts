/**
 * What each cached workflow costs the SDK's workflow thread just by loading mlgate's workflow code.
 * With the SDK's reusable V8 context (its default), the modules the bundle loads before any
 * workflow exists are shared; every other module is evaluated again for each workflow and kept
 * as long as that workflow is cached. This evaluates the real bundle the same way in a vm context
 * (webpack's module cache routed through `__webpack_module_cache__`, as the SDK does), N times,
 * and measures the heap kept per evaluation after a full GC; then again with groups of modules
 * treated as shared, to attribute the cost. Each variant runs in its own process (a clean heap).
 *
 *   node --import tsx bench/load/module-cost.ts [--n 30] [--out workflow-module-cost]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machine, writeBenchResult } from '../shared/results';
import { benchWorkflowBundle } from '../shared/workflow-bundles';

const { values } = parseArgs({ options: { n: { type: 'string', default: '30' }, out: { type: 'string', default: 'workflow-module-cost' } } });

/** Run in a child (`node --expose-gc -e`): argv = bundle file, N, JSON list of module groups to share, "preload" to run the bundle's preload step first as the SDK does. */
const MEASURE = String.raw`
const vm = require('node:vm');
const code = require('node:fs').readFileSync(process.argv[1], 'utf8');
const n = Number(process.argv[2]);
const sharedGroups = JSON.parse(process.argv[3]);
const groupOf = (id) => id.includes('node_modules/zod') ? 'zod' : id.includes('src/domain') ? 'src/domain' : id.includes('src/workflows') ? 'src/workflows' : 'temporal-sdk';
let cache = {};
const ctx = vm.createContext({});
Object.defineProperty(ctx, '__webpack_module_cache__', { get: () => new Proxy({}, { get: (_, p) => cache[p], set: (_, p, v) => ((cache[p] = v), true) }) });
vm.runInContext(code, ctx);
if (process.argv[4] === 'preload') vm.runInContext('__TEMPORAL__.preloadModules?.()', ctx);
const shared = { ...cache };
vm.runInContext('__TEMPORAL__.importWorkflows()', ctx);
const all = { ...cache };
const base = { ...shared };
for (const id of Object.keys(all)) if (sharedGroups.includes(groupOf(id))) base[id] = all[id];
const used = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
const kept = [];
const before = used();
for (let i = 0; i < n; i++) { cache = { ...base }; kept.push(vm.runInContext('__TEMPORAL__.importWorkflows()', ctx), cache); }
const perWorkflowKb = Math.round((used() - before) / n / 1024);
const count = (g) => Object.keys(all).filter((id) => !(id in shared) && groupOf(id) === g).length;
console.log(JSON.stringify({ perWorkflowKb, sharedAtStart: Object.keys(shared).length, modulesPerWorkflow: Object.keys(all).length - Object.keys(base).length,
  groups: Object.fromEntries(['zod', 'src/domain', 'src/workflows', 'temporal-sdk'].map((g) => [g, count(g)])) }));
`;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const bundle = await benchWorkflowBundle('mlgate');
  const file = join(await mkdtemp(join(tmpdir(), 'mlgate-module-cost-')), 'bundle.js');
  await writeFile(file, bundle.code);
  const measure = (shared: string[], preload = false) =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', MEASURE, file, values.n, JSON.stringify(shared), preload ? 'preload' : 'none'], { encoding: 'utf8' })) as { perWorkflowKb: number };
  const variants = [[], ['zod'], ['zod', 'temporal-sdk'], ['zod', 'temporal-sdk', 'src/domain']].map((shared) => ({ preload: false, alsoShared: shared, ...measure(shared) }));
  const withPreload = { preload: true, alsoShared: [] as string[], ...measure([], true) };
  for (const v of variants) console.log(`without mlgate's preload, also shared: ${v.alsoShared.join(' + ') || 'nothing (as the SDK runs it)'} -> ${v.perWorkflowKb} KB per cached workflow`);
  console.log(`with mlgate's preload (src/workflows/shared-modules.ts), as the worker runs it -> ${withPreload.perWorkflowKb} KB per cached workflow`);
  const kb = variants.map((v) => v.perWorkflowKb);
  await writeBenchResult(values.out, {
    evaluations: Number(values.n), variants, withPreload,
    attributionKbPerWorkflow: { zod: kb[0] - kb[1], temporalSdkNotShared: kb[1] - kb[2], mlgateDomain: kb[2] - kb[3], mlgateWorkflows: kb[3] },
    notes: 'Heap kept per evaluation of the workflow bundle\'s non-shared modules (what the SDK\'s reusable V8 context evaluates for each workflow), after a full GC; a variant marks groups of modules as already loaded (shared), so the difference between variants is what a group costs.',
    machine: machine(loadBefore),
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
