/** Writes a benchmark's figures to bench/results/<name>.json (2-space JSON, trailing newline) and says where. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', 'results');

/** What every results file records about the machine it ran on. */
export function machine(loadBefore: number): Record<string, unknown> {
  return { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAvg1mBefore: loadBefore, loadAvg1mAfter: loadavg()[0] };
}

export async function writeBenchResult(name: string, result: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
  return file;
}
