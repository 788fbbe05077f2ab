/**
 * Runs every benchmark (`bench/<name>/run.ts`) in sequence, each in its own process so one cannot
 * warm or slow another, then gathers `bench/results/*.json` into `bench/results/summary.md`.
 *
 *   npm run bench                                   (all of them)
 *   node --import tsx bench/run-all.ts --only rollback,drift
 *   node --import tsx bench/run-all.ts --summary-only   (just rebuild summary.md)
 *
 * A failing benchmark is reported and the others still run; the exit code is 1 if any failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const BENCH_DIR = __dirname;
const RESULTS_DIR = join(BENCH_DIR, 'results');
/** Arrays longer than this (per-run detail) are summarized by their length in summary.md. */
const MAX_INLINE_ARRAY = 6;

interface RunOutcome {
  name: string;
  ok: boolean;
  seconds: number;
  exitCode: number | null;
}

async function benchNames(only: string[] | undefined): Promise<string[]> {
  const dirs = (await readdir(BENCH_DIR, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'results').map((d) => d.name);
  const found = dirs.filter((d) => existsSync(join(BENCH_DIR, d, 'run.ts'))).sort();
  if (!only) return found;
  const unknown = only.filter((o) => !found.includes(o));
  if (unknown.length) throw new Error(`--only names unknown benchmarks: ${unknown.join(', ')} (have: ${found.join(', ')})`);
  return found.filter((d) => only.includes(d));
}

function runOne(name: string): Promise<RunOutcome> {
  const t0 = Date.now();
  console.log(`\n=== bench/${name}/run.ts ===`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, name, 'run.ts')], { stdio: 'inherit' });
    const done = (exitCode: number | null) => resolve({ name, ok: exitCode === 0, seconds: (Date.now() - t0) / 1000, exitCode });
    child.once('error', (err) => {
      console.error(`bench/${name}: could not start: ${err.message}`);
      done(null);
    });
    child.once('exit', done);
  });
}

/** Flattens a result document into `dotted.key: value` rows; long arrays become their length. */
function flatten(value: unknown, prefix = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) {
    if (value.length > MAX_INLINE_ARRAY || value.some((v) => typeof v === 'object' && v !== null)) out.push([prefix, `[${value.length} items, see the JSON]`]);
    else out.push([prefix, value.map((v) => formatScalar(v)).join(', ')]);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, formatScalar(value)]);
  return out;
}

function formatScalar(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return String(v);
}

function section(file: string, doc: Record<string, unknown>): string {
  const title = typeof doc.benchmark === 'string' ? doc.benchmark : file.replace(/\.json$/, '');
  const rows = flatten(doc).filter(([k]) => k !== 'benchmark');
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [`## ${title}`, '', `From \`bench/results/${file}\`.`, '', '| field | value |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''].join('\n');
}

async function writeSummary(outcomes: RunOutcome[]): Promise<string> {
  const files = existsSync(RESULTS_DIR) ? (await readdir(RESULTS_DIR)).filter((f) => f.endsWith('.json')).sort() : [];
  const parts = ['# Benchmark results', '', `Collected ${new Date().toISOString()} by \`node --import tsx bench/run-all.ts\`. Each benchmark's JSON has the full detail.`, ''];
  if (outcomes.length) {
    parts.push('| benchmark | result | wall s |', '|---|---|---|', ...outcomes.map((o) => `| ${o.name} | ${o.ok ? 'ok' : `FAILED (exit ${o.exitCode ?? 'none'})`} | ${o.seconds.toFixed(0)} |`), '');
  }
  for (const f of files) {
    try {
      parts.push(section(f, JSON.parse(await readFile(join(RESULTS_DIR, f), 'utf8')) as Record<string, unknown>));
    } catch (e) {
      parts.push(`## ${f}`, '', `Could not read it: ${(e as Error).message}`, '');
    }
  }
  const path = join(RESULTS_DIR, 'summary.md');
  await writeFile(path, parts.join('\n'));
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, 'summary-only': { type: 'boolean', default: false } } });
  const outcomes: RunOutcome[] = [];
  if (!values['summary-only']) {
    const names = await benchNames(values.only?.split(',').map((s) => s.trim()).filter(Boolean));
    for (const name of names) outcomes.push(await runOne(name));
  }
  const path = await writeSummary(outcomes);
  console.log(`\nwrote ${path}`);
  for (const o of outcomes) console.log(`${o.ok ? 'ok    ' : 'FAILED'} ${o.name} (${o.seconds.toFixed(0)} s)`);
  if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
