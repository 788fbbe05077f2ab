/**
 * The embedded mlgate every benchmark runs against, built the way the test harness builds it:
 * its own Temporal dev server, the real gateway, an SMTP catcher, SQLite stores in a temp folder,
 * and one worker. Nothing is mocked. Each bench says what it needs through the options.
 */
import { Client } from '@temporalio/client';
import { fork, type ChildProcess } from 'node:child_process';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivities } from '../../src/activities';
import { createFsArtifactStore } from '../../src/adapters/artifact-store/fs';
import { createGatewayAdmin, type GatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import { createGateway } from '../../src/gateway';
import { createMailCatcher } from '../../src/smtp-catcher/catcher';
import { startPrometheus } from '../../src/prometheus/local-prometheus';
import { startDevServer, type DevServerOptions } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { openActivityDeps, type OpenedActivityDeps } from '../../src/workers/activity-deps';
import { createWorker } from '../../src/workers/worker';
import { resolveTemporalBinary } from '../../src/temporal/binaries';
import { WORKER_LIMIT_DEFAULTS } from '../../src/config/env';
import type { WorkerMemoryReport } from './memory-probe';
import type { WorkerChildInit } from './worker-child';
import { connectTemporal } from '../../src/temporal/connection-interceptors';

/** The Temporal CLI, resolved from this process's environment (tests and benches are edges). */
const temporalCli = () => resolveTemporalBinary('cli', { env: process.env }).path;

export interface BenchStackOptions {
  /** Names the temp folder and the task queue. */
  name: string;
  /** Persist Temporal to a SQLite file, as `mlgate dev` does. @default false (in memory) */
  persist?: boolean;
  /** @default false */
  faultInjection?: boolean;
  /** Base URL in approval links. @default a dummy URL */
  publicUrl?: string;
  /** @default a random secret */
  approvalSecret?: string;
  /** With persist: the SQLite file's pragmas ([] = SQLite's own defaults). @default mlgate's (WAL, synchronous=normal) */
  sqlitePragmas?: readonly string[];
  /** The dev server's dynamic configuration. @default none (the server's own) */
  devDynamicConfig?: DevServerOptions['dynamicConfig'];
  /** Run the worker in its own process (its memory and CPU measured apart from the driver). @default false */
  workerInChild?: boolean;
  /** The worker's bounds. @default mlgate's (WORKER_LIMIT_DEFAULTS, what `mlgate worker` runs with) */
  workerLimits?: WorkerChildInit['limits'];
  /** With workerInChild: extra node flags for the worker process (e.g. --max-old-space-size=256). */
  workerNodeFlags?: string[];
  /** With workerInChild: how the worker process samples its memory (bench/shared/memory-probe.ts). @default heaps as they are */
  workerProbe?: WorkerChildInit['probe'];
  /**
   * Read rollout metrics through a Prometheus (Debian's) scraping the gateway at this interval, as
   * MLGATE_METRICS_SOURCE=prometheus does, instead of the gateway's own windows. @default the gateway's windows
   */
  prometheusScrapeInterval?: string;
  /** The workflow bundle the worker runs (e.g. a baseline built with other options; sent to a worker child over IPC). @default mlgate's, bundled at start */
  workflowBundle?: { code: string };
  /** Without workerInChild: wraps the worker's activities (e.g. to time each one's own work). @default as they are */
  wrapActivities?: (activities: ReturnType<typeof createActivities>) => object;
}

export interface BenchStack {
  client: Client;
  taskQueue: string;
  dataDir: string;
  gatewayUrl: string;
  admin: GatewayAdmin;
  opened: OpenedActivityDeps;
  /** pid of the Temporal server process, to sample its memory too. */
  temporalPid: number | undefined;
  /** pid of the worker's own process (workerInChild), to measure it apart from this one. */
  workerPid: number | undefined;
  /** With workerInChild: where the worker process's memory was (peaks by kind, the breakdown at peak RSS, a timeline), sampled there. */
  workerMemoryPeak(): Promise<WorkerMemoryReport | null>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export async function startBenchStack(o: BenchStackOptions): Promise<BenchStack> {
  // Worker warnings (e.g. late completions of terminated releases) would bury the tables.
  if (!runtimeInstalled) Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  runtimeInstalled = true;
  const dataDir = await mkdtemp(join(tmpdir(), `mlgate-bench-${o.name}-`));
  const temporal = await startDevServer({ binaryPath: temporalCli(), port: await freePort(), headless: true, startTimeoutMs: 180_000, ...(o.devDynamicConfig ? { dynamicConfig: o.devDynamicConfig } : {}), ...(o.persist ? { dbFile: join(dataDir, 'temporal.sqlite'), ...(o.sqlitePragmas ? { sqlitePragmas: o.sqlitePragmas } : {}) } : {}) });
  const token = randomBytes(16).toString('hex');
  const artifacts = createFsArtifactStore({ root: join(dataDir, 'artifacts') });
  const gateway = createGateway({ adminToken: token, stateDir: join(dataDir, 'gateway'), loadBundle: (id) => artifacts.get(id), loadModelFile: (id) => artifacts.readFile(id, 'model.onnx'), faultInjection: o.faultInjection ?? false });
  const { url: gatewayUrl, adminUrl } = await gateway.start();
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort } = await mail.start();
  const prometheus = o.prometheusScrapeInterval ? await startPrometheus([new URL(gatewayUrl).host], o.prometheusScrapeInterval) : undefined;
  const taskQueue = `bench-${o.name}`;
  const connection = await connectTemporal({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const depsOptions = {
    dataDir, piiSalt: randomBytes(16).toString('hex'), approvalSecret: o.approvalSecret ?? randomBytes(32).toString('hex'), publicUrl: o.publicUrl ?? 'http://127.0.0.1:9',
    gatewayAdminUrl: adminUrl, adminToken: token, smtp: { host: '127.0.0.1', port: smtpPort, from: 'mlgate <mlgate@bench>' },
    metricsSource: prometheus ? { kind: 'prometheus' as const, url: prometheus.url } : { kind: 'gateway' as const },
  };
  // This process keeps its own deps (tests read the registry through them), even when the worker runs elsewhere.
  const opened = openActivityDeps({ ...depsOptions, temporal: { client, taskQueue } });
  const limits = o.workerLimits ?? { ...WORKER_LIMIT_DEFAULTS };
  const worker = o.workerInChild
    ? await startWorkerChild({
      address: temporal.address, taskQueue, deps: depsOptions, limits,
      ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : {}), ...(o.workerProbe ? { probe: o.workerProbe } : {}),
    }, o.workerNodeFlags ?? [])
    : await startWorkerHere(temporal.address, taskQueue, (o.wrapActivities ?? ((a) => a))(createActivities(opened.deps)), limits, o.workflowBundle);
  return {
    client,
    taskQueue, dataDir, gatewayUrl, opened,
    admin: createGatewayAdmin({ adminUrl, token }),
    temporalPid: temporal.process.pid,
    workerPid: worker.pid,
    workerMemoryPeak: () => worker.memoryPeak(),
    async close() {
      await worker.stop();
      await connection.close();
      await prometheus?.stop();
      await gateway.stop();
      await mail.stop();
      opened.close();
      await temporal.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface StartedWorker {
  pid: number | undefined;
  memoryPeak(): Promise<WorkerMemoryReport | null>;
  stop(): Promise<void>;
}

async function startWorkerHere(address: string, taskQueue: string, activities: object, limits: WorkerChildInit['limits'], workflowBundle?: { code: string }): Promise<StartedWorker> {
  const { worker, connection } = await createWorker({ address, namespace: 'default', taskQueue, activities, shutdownGraceTime: '1s', ...limits, ...(workflowBundle ? { workflowBundle } : {}) });
  const running = worker.run();
  return {
    pid: undefined,
    memoryPeak: async () => null,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

async function startWorkerChild(init: WorkerChildInit, nodeFlags: string[]): Promise<StartedWorker> {
  const child: ChildProcess = fork(join(__dirname, 'worker-child.ts'), [], { execArgv: ['--import', 'tsx', ...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(init);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`worker child exited with ${code}`)));
  });
  return {
    pid: child.pid,
    memoryPeak: () => new Promise((resolve) => {
      const onMessage = (m: unknown) => {
        const report = (m as { memoryReport?: WorkerMemoryReport }).memoryReport;
        if (!report) return;
        child.off('message', onMessage);
        resolve(report);
      };
      child.on('message', onMessage);
      child.send('memory');
    }),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}
