/**
 * Hands batches of answered rows to the writer thread and lets readers wait until a batch is on
 * disk. If the thread dies, every batch it had not committed is written on this thread instead
 * (the append is idempotent), and so is every later batch: nothing answered is ever lost.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { PendingBatch } from '../pending-batch';
import { createAppend } from './append';
import { COMMITTED, FAILED, type WriterBatch } from './serve-batches';
import type { WriterData } from './writer-thread';

const THREAD_FILE = path.join(__dirname, 'writer-thread.ts');
/** A reader waits this long for the writer before writing the batches itself. */
const WAIT_MS = 10_000;

export interface LogWriter {
  /** Sends a batch to the writer thread (never writes on this thread while the thread is alive). */
  send(batch: PendingBatch): void;
  /** Blocks until every batch sent so far is committed (readers call it to see every answered row). */
  sync(): void;
  close(): Promise<void>;
}

export interface LogWriterOptions {
  file: string;
  /** The serving thread's connection: used only if the writer thread dies. */
  db: Database.Database;
  /** The thread's module. Tests point it at one that fails. @default writer-thread.ts */
  threadFile?: string;
}

export function startLogWriter(opts: LogWriterOptions): LogWriter {
  const shared = new SharedArrayBuffer(8);
  const counter = new Int32Array(shared);
  const inFlight = new Map<number, PendingBatch>();
  let sent = 0;
  let fallback: ((batch: PendingBatch) => void) | null = null;
  let closing = false;
  // The thread runs TypeScript through tsx, as the CLI does, so there is no build step.
  const data: WriterData = { file: opts.file, shared };
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(opts.threadFile ?? THREAD_FILE)});`, { eval: true, workerData: data });
  worker.unref();
  const takeOver = () => {
    // A thread that exits because close() asked it to has committed everything.
    if (fallback || closing) return;
    fallback = createAppend(opts.db);
    void worker.terminate();
    const done = Atomics.load(counter, COMMITTED);
    for (const [n, batch] of [...inFlight].sort((a, b) => a[0] - b[0])) if (n > done) fallback(batch);
    inFlight.clear();
  };
  worker.on('error', takeOver);
  worker.on('exit', takeOver);
  const forget = () => {
    const done = Atomics.load(counter, COMMITTED);
    for (const n of inFlight.keys()) if (n <= done) inFlight.delete(n);
  };
  return {
    send(batch) {
      if (batch.ids.length === 0) return;
      if (fallback) return fallback(batch);
      forget();
      sent += 1;
      inFlight.set(sent, batch);
      worker.postMessage({ n: sent, batch } satisfies WriterBatch);
    },
    sync() {
      const deadline = Date.now() + WAIT_MS;
      for (let seen = Atomics.load(counter, COMMITTED); !fallback && seen < sent; seen = Atomics.load(counter, COMMITTED)) {
        if (Atomics.load(counter, FAILED) === 1 || Date.now() > deadline) return takeOver();
        Atomics.wait(counter, COMMITTED, seen, 100);
      }
      forget();
    },
    async close() {
      if (fallback) return;
      closing = true;
      // Unref'd while serving, so it never holds a process open; while closing it must, or a process
      // with nothing else left exits before the thread commits the last batch (and skips what follows close()).
      worker.ref();
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage('close');
      await exited;
    },
  };
}
