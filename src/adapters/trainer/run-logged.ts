/**
 * Runs one command to completion with its stdout and stderr streamed to a log file, heartbeats
 * while it runs, and a hard stop (process group SIGTERM, then SIGKILL) on abort or timeout.
 * Exit outcomes: resolves on exit 0; a non-zero exit, timeout or abort rejects with a plain
 * (retryable) Error; a command that cannot start rejects with non-retryable TrainerFailed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../domain/errors';

export interface RunLoggedOptions {
  command: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  logFile: string;
  timeoutMs: number;
  heartbeat: (details?: unknown) => void;
  heartbeatMs: number;
  killGraceMs: number;
  signal?: AbortSignal;
}

const TAIL_LINES = 20;

/** Kills the whole process group: a shell wrapper's children must not outlive a cancelled run. */
function stop(child: ChildProcess, graceMs: number): void {
  const kill = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig); // the group is already gone; signal the leader directly
    }
  };
  kill('SIGTERM');
  setTimeout(() => kill('SIGKILL'), graceMs).unref();
}

function tailCollector() {
  let lines: string[] = [];
  return {
    push(chunk: Buffer) {
      lines = [...lines, ...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== '')].slice(-TAIL_LINES);
    },
    text: () => lines.join('\n'),
  };
}

export async function runLogged(o: RunLoggedOptions): Promise<void> {
  if (o.signal?.aborted) throw new Error('trainer cancelled before it started');
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const child = spawn(o.command[0], o.command.slice(1), { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail = tailCollector();
  child.stdout?.pipe(log, { end: false });
  child.stderr?.on('data', (c: Buffer) => { stderrTail.push(c); log.write(c); });
  let stoppedBy: 'cancel' | 'timeout' | undefined;
  const onAbort = () => { stoppedBy ??= 'cancel'; stop(child, o.killGraceMs); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => { stoppedBy ??= 'timeout'; stop(child, o.killGraceMs); }, o.timeoutMs);
  const beat = setInterval(() => o.heartbeat({ pid: child.pid }), o.heartbeatMs);
  try {
    const [code, sig] = (await Promise.race([
      once(child, 'close'),
      once(child, 'error').then(([err]) => { throw err; }),
    ])) as [number | null, NodeJS.Signals | null];
    if (stoppedBy === 'cancel') throw new Error(`trainer cancelled; process ${child.pid} stopped (${sig ?? code})`);
    if (stoppedBy === 'timeout') throw new Error(`trainer timed out after ${o.timeoutMs} ms; process ${child.pid} stopped`);
    if (code !== 0) throw new Error(`trainer exited with ${code === null ? `signal ${sig}` : `code ${code}`}; last stderr lines:\n${stderrTail.text()}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') {
      throw ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message: `trainer command ${JSON.stringify(o.command[0])} could not start (${(err as Error).message}); fix trainer.command in the spec` });
    }
    throw err;
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
    o.signal?.removeEventListener('abort', onAbort);
    log.end();
    await once(log, 'close');
  }
}
