/**
 * Runs the real `mlgate` binary with a clean environment (PATH, a data folder and the three
 * secrets, plus what the test adds), as a user's shell would, and collects its exit and output.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const MLGATE_BIN = path.resolve(__dirname, '../../bin/mlgate.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function mlgateEnv(dataDir: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', MLGATE_DATA_DIR: dataDir, MLGATE_ADMIN_TOKEN: 'a'.repeat(32), MLGATE_APPROVAL_SECRET: 'b'.repeat(32), MLGATE_PII_SALT: 'c'.repeat(32), ...env };
}

/** Runs `mlgate <args>` to its end (killed after `timeoutMs`). */
export function runMlgate(args: string[], dataDir: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MLGATE_BIN, ...args], { encoding: 'utf8', timeout: timeoutMs, env: mlgateEnv(dataDir, env) }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** Starts a long-running `mlgate <args>` and resolves once its stdout has printed `readyText`; rejects if it exits first. */
export function startMlgate(args: string[], dataDir: string, env: Record<string, string>, readyText: string): Promise<{ child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [MLGATE_BIN, ...args], { env: mlgateEnv(dataDir, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(readyText)) resolve({ child, stop: async () => { child.kill('SIGTERM'); return exited; } });
    });
    void exited.then((code) => reject(new Error(`mlgate ${args.join(' ')} exited (${code}) before "${readyText}":\n${out}\n${err}`)));
  });
}
