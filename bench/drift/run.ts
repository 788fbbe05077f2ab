/**
 * Drift statistics benchmark: PSI (fixed reference bins) + two-sample KS (against a 10,000-value
 * reference sample) over 1,000,000 rows x 20 numeric features, on the main thread and split across
 * two worker threads, against a naive baseline measured in the same run.
 *
 *   node --import tsx bench/drift/run.ts     (about 30 s; writes bench/results/drift.json)
 *
 * Timings exclude data generation. Each timed part runs once after a warm-up on one feature, so
 * the JIT has compiled the hot loops; the machine's load average is recorded beside the numbers.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ksTwoSample } from '../../src/domain/drift/kolmogorov-smirnov';
import { type BenchFeature, BINS, CURRENT_ROWS, FEATURES, generate, REF_ROWS } from './data';
import { type FeatureResult, runFeatures } from './drift-job';
import { naiveKsD, naivePsi } from './naive';
import { machine, writeBenchResult } from '../shared/results';

const THREADS = 2;
// Node 20 workers do not inherit tsx's `--import` hooks, so each worker registers tsx's CommonJS loader itself.
const WORKER_BOOT = "require('tsx/cjs/api').register(); require(require('node:worker_threads').workerData);";

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function runOnWorker(worker: Worker, features: BenchFeature[]): Promise<FeatureResult[]> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(features);
  });
}

async function parallel(features: BenchFeature[]): Promise<{ ms: number; results: FeatureResult[] }> {
  const workers = Array.from({ length: THREADS }, () => new Worker(WORKER_BOOT, { eval: true, workerData: join(__dirname, 'worker.ts') }));
  try {
    await Promise.all(workers.map((w) => runOnWorker(w, features.slice(0, 1)))); // warm-up: JIT and module load
    const parts = workers.map((_, t) => features.filter((_, i) => i % THREADS === t));
    const t0 = performance.now();
    const results = (await Promise.all(workers.map((w, t) => runOnWorker(w, parts[t])))).flat();
    return { ms: performance.now() - t0, results };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function baseline(features: BenchFeature[]) {
  const psi = timed(() => features.map((f) => naivePsi(f.reference, new Float64Array(f.current))));
  const ks = timed(() => features.map((f) => naiveKsD(f.reference.sample, new Float64Array(f.current))));
  return { psiMs: psi.ms, ksMs: ks.ms, psi: psi.value, d: ks.value };
}

function row(label: string, psiMs: number | null, ksMs: number | null, totalMs: number): string {
  const cell = (x: number | null) => (x === null ? '-' : x.toFixed(0)).padStart(9);
  return `${label.padEnd(44)}${cell(psiMs)}${cell(ksMs)}${cell(totalMs)}`;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const gen = timed(generate);
  const features = gen.value;
  runFeatures(features.slice(0, 1)); // warm-up
  const single = timed(() => runFeatures(features));
  const sum = (k: 'psiMs' | 'ksMs') => single.value.reduce((s, r) => s + r[k], 0);
  const sortKs = timed(() => features.map((f) => ksTwoSample(new Float64Array(f.current), f.reference.sample)));
  const par = await parallel(features);
  const naive = baseline(features);

  const agree = single.value.every((r, i) => r.d === naive.d[i] && r.d === sortKs.value[i].d && Math.abs(r.psi - naive.psi[i]) < 1e-12 && par.results.find((p) => p.name === r.name)!.d === r.d);
  const lines = [
    `drift benchmark: ${CURRENT_ROWS.toLocaleString('en')} rows x ${FEATURES} features, reference sample ${REF_ROWS.toLocaleString('en')}, ${BINS} bins (data generated in ${gen.ms.toFixed(0)} ms)`,
    `${'part (all 20 features, wall ms)'.padEnd(44)}${'PSI'.padStart(9)}${'KS'.padStart(9)}${'total'.padStart(9)}`,
    row('naive: linear bins + Array#sort(cmp)', naive.psiMs, naive.ksMs, naive.psiMs + naive.ksMs),
    row('ksTwoSample (Float64Array#sort, merge)', null, sortKs.ms, sortKs.ms),
    row('mlgate, 1 thread (bucketed search)', sum('psiMs'), sum('ksMs'), single.ms),
    row(`mlgate, ${THREADS} worker threads`, null, null, par.ms),
    `speed-up vs naive: ${((naive.psiMs + naive.ksMs) / single.ms).toFixed(1)}x on 1 thread, ${((naive.psiMs + naive.ksMs) / par.ms).toFixed(1)}x on ${THREADS}; results agree with the baseline: ${agree}`,
    `drifted features (PSI > 0.2 or KS p < 0.01): ${single.value.filter((r) => r.psi > 0.2 || r.pValue < 0.01).map((r) => r.name).join(', ')}`,
  ];
  console.log(lines.join('\n'));
  const result = {
    benchmark: 'drift-statistics',
    at: new Date().toISOString(),
    command: 'node --import tsx bench/drift/run.ts',
    machine: machine(loadBefore),
    workload: { rows: CURRENT_ROWS, features: FEATURES, referenceSample: REF_ROWS, bins: BINS, generateMs: gen.ms },
    baselineNaive: { psiMs: naive.psiMs, ksMs: naive.ksMs, totalMs: naive.psiMs + naive.ksMs },
    ksTwoSampleSortMs: sortKs.ms,
    singleThread: { psiMs: sum('psiMs'), ksMs: sum('ksMs'), totalMs: single.ms },
    workerThreads: { threads: THREADS, totalMs: par.ms },
    resultsAgree: agree,
    perFeature: single.value.map(({ name, psi, d, pValue }) => ({ name, psi, d, pValue })),
  };
  await writeBenchResult('drift', result);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
