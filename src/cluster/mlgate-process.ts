/**
 * One `mlgate worker|gateway|server` as a child process of the cluster: started with its own
 * environment, ready when it prints its ready line, stoppable gracefully (SIGTERM) or killed
 * outright (SIGKILL: no shutdown hooks, what an OOM kill or a lost node does). With `logFile`, all its
 * output also goes to that file, to read after a failure (the in-memory tail keeps only the last 50 kB).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'mlgate.js');

export const MLGATE_COMMANDS = ['worker', 'gateway', 'server'] as const;
export type MlgateCommand = (typeof MLGATE_COMMANDS)[number];

/** The line each command prints once it serves (src/cli/commands/stack.ts, runUntilSignal). */
const READY: Record<MlgateCommand, string> = { worker: 'mlgate worker ready', gateway: 'mlgate gateway ready', server: 'mlgate approvals-server ready' };

export interface MlgateProcess {
  /** e.g. worker-1, gateway-2 */
  name: string;
  child: ChildProcess;
  env: Record<string, string>;
  /** Where all its stdout and stderr go, when started with one. */
  logFile?: string;
  output(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Appends the child's stdout and stderr to `file` (created), closed when the child exits. */
export function teeToFile(child: ChildProcess, file: string): void {
  const log = createWriteStream(file, { flags: 'a' });
  log.on('error', () => undefined); // a log that cannot be written must not take the process down
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  child.once('close', () => log.end());
}

/** Starts `mlgate <command>` and resolves once it is ready; rejects with its output if it exits first or takes longer than `readyTimeoutMs`. */
export async function startMlgateProcess(command: MlgateCommand, name: string, env: Record<string, string>, readyTimeoutMs = 180_000, logFile?: string): Promise<MlgateProcess> {
  const child = spawn(process.execPath, [BIN, command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-50_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (logFile) teeToFile(child, logFile);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} (mlgate ${command}) not ready in ${readyTimeoutMs / 1000} s:\n${out}`)), readyTimeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} (mlgate ${command}) exited before it was ready (${code ?? signal}):\n${out}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', function check() {
      if (!out.includes(READY[command])) return;
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      clearTimeout(timer);
      resolve();
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await exited(child);
    throw err;
  });
  return {
    name, child, env, ...(logFile ? { logFile } : {}),
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
