/**
 * Starts the Temporal CLI dev server as a child process, persisting to a SQLite file, and waits
 * (generously: a loaded 2-core machine can take well over the SDK's 5 s) until it answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { connectTemporal } from './connection-interceptors';

export interface DevServerOptions {
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  ip?: string;
  port: number;
  uiPort?: number;
  /** @default false: the UI is on unless headless */
  headless?: boolean;
  namespace?: string;
  /** Where the server's own log goes. @default inherit nothing (ignored) */
  logFile?: string;
  /** @default 120000 */
  startTimeoutMs?: number;
  /** The Temporal CLI (resolveTemporalBinary('cli', …) finds it). */
  binaryPath: string;
  /** Register mlgate's search attributes at start. Tests of `prepareTemporal` want a bare server. @default true */
  searchAttributes?: boolean;
  /** Pragmas for the SQLite file (benchmarks compare against SQLite's own defaults with []). @default SQLITE_PRAGMAS */
  sqlitePragmas?: readonly string[];
  /**
   * The server's dynamic configuration (`--dynamic-config-value`). @default none: the server's own.
   * bench/load's `--dev-config` measured the likely keys (one task-queue partition, eager activities,
   * the search-attribute cache) against none at 200 releases; none was faster (README, "The dev
   * server's own settings").
   */
  dynamicConfig?: Readonly<Record<string, DynamicConfigValue>>;
}

export type DynamicConfigValue = string | number | boolean;

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Polls the frontend until it answers or the deadline passes. */
export async function waitForTemporal(address: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the Temporal server process exited before it answered on ${address}`);
    try {
      const conn = await connectTemporal({ address, connectTimeout: 2_000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Pragmas for the dev server's SQLite file (the embedded stack's one serialization point). */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

export function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', opts.ip ?? '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace ?? 'default', '--log-level', 'warn'];
  // WAL with synchronous=normal: a commit is one append to the log, not a sync of the whole file.
  // Committed transactions survive a crash of the server process (they are in the log); only an
  // operating-system crash or power loss can lose the last ones, as with any WAL database.
  if (opts.dbFile) args.push('--db-filename', opts.dbFile, ...(opts.sqlitePragmas ?? SQLITE_PRAGMAS).flatMap((p) => ['--sqlite-pragma', p]));
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.headless) args.push('--headless');
  else if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  if (opts.searchAttributes !== false) for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  return args;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const bin = opts.binaryPath;
  if (opts.dbFile) mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(bin, devServerArgs(opts), { stdio: ['ignore', out, out] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const address = `${opts.ip ?? '127.0.0.1'}:${opts.port}`;
  const stop = async () => {
    if (exited) return;
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };
  try {
    await waitForTemporal(address, opts.startTimeoutMs ?? 120_000, () => !exited);
  } catch (err) {
    await stop();
    throw err;
  }
  const uiUrl = opts.headless ? undefined : `http://${opts.ip ?? '127.0.0.1'}:${opts.uiPort ?? opts.port + 1000}`;
  return { address, uiUrl, process: child, stop };
}
