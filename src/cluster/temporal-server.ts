/**
 * A real Temporal server (not the dev server) on PostgreSQL, as a local process: the binaries
 * scripts/temporal-server.sh built from the Go module into .cache/temporal-server, the schema set up
 * by the module's own sql tool, namespace `default` created, mlgate's search attributes registered
 * by mlgate's own start-up check (prepareTemporal).
 */
import { isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../temporal/free-port';
import { teeToFile } from './mlgate-process';
import { prepareTemporal } from '../temporal/prepare-temporal';
import { TEMPORAL_DYNAMIC_CONFIG, temporalServerConfig, type TemporalServerPorts } from './temporal-server-config';
import { connectTemporal } from '../temporal/connection-interceptors';

const ROOT = path.join(__dirname, '..', '..');
const ALREADY_EXISTS = 6;

/** Where scripts/temporal-server.sh put `server`, `sql` and `schema/`. */
export function temporalServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MLGATE_TEMPORAL_SERVER_DIR ?? path.join(ROOT, '.cache', 'temporal-server');
}

export interface LocalTemporalServer {
  address: string;
  namespace: string;
  child: ChildProcess;
  /** Its whole output, when started with one. */
  logFile?: string;
  output(): string;
  stop(): Promise<void>;
}

/** Runs the sql tool's create-database, setup-schema -v 0.0 and update-schema for both databases. */
async function setupSchema(dir: string, pgPort: number): Promise<void> {
  const sql = (database: string, ...args: string[]) =>
    promisify(execFile)(path.join(dir, 'sql'), ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(pgPort), '--user', 'postgres', '--password', '', '--database', database, ...args]);
  for (const [database, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']]) {
    await sql(database, 'create-database');
    await sql(database, 'setup-schema', '-v', '0.0');
    await sql(database, 'update-schema', '-d', path.join(dir, 'schema', schema, 'versioned'));
  }
}

async function pickPorts(): Promise<TemporalServerPorts> {
  const names = ['frontend', 'frontendHttp', 'frontendMembership', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership'] as const;
  const ports: Partial<TemporalServerPorts> = {};
  for (const n of names) ports[n] = await freePort();
  return ports as TemporalServerPorts;
}

/** Retries `attempt` every 500 ms until it resolves or the deadline passes; the last error explains the timeout. */
async function retryUntil<T>(what: string, deadline: number, attempt: () => Promise<T>, failed: () => string | null): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const exit = failed();
      if (exit) throw new Error(`${what}: ${exit}`);
      if (Date.now() > deadline) throw new Error(`${what} not reached in time: ${(err as Error).message.split('\n')[0]}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function createNamespace(address: string, namespace: string, deadline: number, failed: () => string | null): Promise<void> {
  const connection = await retryUntil('Temporal frontend', deadline, () => connectTemporal({ address, connectTimeout: 5_000 }), failed);
  try {
    await retryUntil('namespace registration', deadline, () => connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') }).catch((err) => {
      if (!(isGrpcServiceError(err) && err.code === ALREADY_EXISTS)) throw err;
    }), failed);
    await retryUntil('namespace visible', deadline, () => connection.workflowService.describeNamespace({ namespace }), failed);
  } finally {
    await connection.close();
  }
}

/** Sets up the schema on `pgPort`, starts the server, creates the namespace, registers mlgate's search attributes. */
export async function startTemporalServer(o: { pgPort: number; workDir: string; namespace?: string; startTimeoutMs?: number; logFile?: string }): Promise<LocalTemporalServer> {
  const dir = temporalServerDir();
  if (!existsSync(path.join(dir, 'server')) || !existsSync(path.join(dir, 'sql'))) {
    throw new Error(`no Temporal server in ${dir}: build it once with \`bash scripts/bootstrap.sh --cluster\` (or scripts/temporal-server.sh)`);
  }
  const namespace = o.namespace ?? 'default';
  await setupSchema(dir, o.pgPort);
  await mkdir(o.workDir, { recursive: true });
  const ports = await pickPorts();
  const dynamicConfigPath = path.join(o.workDir, 'dynamicconfig.yaml');
  const configFile = path.join(o.workDir, 'temporal.yaml');
  await writeFile(dynamicConfigPath, TEMPORAL_DYNAMIC_CONFIG);
  await writeFile(configFile, temporalServerConfig({ pgPort: o.pgPort, ports, dynamicConfigPath }));
  const child = spawn(path.join(dir, 'server'), ['--config-file', configFile, '--allow-no-auth', 'start'], { cwd: o.workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (o.logFile) teeToFile(child, o.logFile);
  const failed = () => (child.exitCode !== null || child.signalCode !== null ? `temporal server exited (${child.exitCode ?? child.signalCode}):\n${out.slice(-4000)}` : null);
  const address = `127.0.0.1:${ports.frontend}`;
  const stop = async () => {
    if (failed()) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await done;
  };
  try {
    const deadline = Date.now() + (o.startTimeoutMs ?? 240_000);
    await createNamespace(address, namespace, deadline, failed);
    await retryUntil('search attributes', deadline, () => prepareTemporal({ address, namespace }), failed);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, namespace, child, ...(o.logFile ? { logFile: o.logFile } : {}), output: () => out, stop };
}
