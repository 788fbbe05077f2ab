/**
 * A local Prometheus process (Debian's `prometheus`, installed by `npm test`'s bootstrap) for tests
 * and benchmarks: its own config and data folder, scraping the given targets at the given interval.
 * Resolves once every target has been scraped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../temporal/free-port';

export interface LocalPrometheus {
  url: string;
  stop(): Promise<void>;
}

export const PROMETHEUS_BIN = process.env.MLGATE_PROMETHEUS_BIN ?? 'prometheus';

/** Starts Prometheus scraping `targets` (host:port of each gateway's public listener) at `scrapeInterval`; its log goes to `logFile` when given. */
export async function startPrometheus(targets: string[], scrapeInterval = '1s', logFile?: string): Promise<LocalPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mlgate-prom-'));
  const config = [
    'global:', `  scrape_interval: ${scrapeInterval}`, `  evaluation_interval: ${scrapeInterval}`,
    'scrape_configs:', '  - job_name: mlgate-gateway', '    metrics_path: /metrics', '    static_configs:', `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`,
  ].join('\n');
  await writeFile(path.join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const log = logFile ? openSync(logFile, 'a') : 'ignore';
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
  if (typeof log === 'number') closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`prometheus exited before it was ready (binary: ${PROMETHEUS_BIN})`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus at ${url} not ready within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Ready is not scraping: service discovery hands targets over after a few seconds. Wait until each
  // target has been scraped once, so a test's counts start from Prometheus's first sample, not before it.
  for (;;) {
    const up = await fetch(`${url}/api/v1/query?query=up`).then((r) => r.json() as Promise<{ data?: { result?: Array<{ value: [number, string] }> } }>, () => null);
    if ((up?.data?.result ?? []).filter((r) => r.value[1] === '1').length >= targets.length) break;
    if (Date.now() > deadline) throw new Error(`prometheus at ${url} did not scrape ${targets.join(', ')} within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
