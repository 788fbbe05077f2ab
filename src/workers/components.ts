/**
 * The runtime pieces of mlgate, each startable alone (`mlgate worker|gateway|server`, compose
 * services) or together (`mlgate dev`). This is the composition root: config in, running parts out.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createActivities } from '../activities';
import { createFsArtifactStore } from '../adapters/artifact-store/fs';
import { createReleasePorts } from '../adapters/decisions/temporal';
import type { Config } from '../config/env';
import type { Secrets } from '../config/secrets';
import { createGateway } from '../gateway';
import { createMailCatcher } from '../smtp-catcher/catcher';
import { createApprovalsServer } from '../approvals-server/approvals-server';
import { openPostgresRoutingStore } from '../adapters/routing-store/postgres';
import { openPostgresPredictionLog } from '../adapters/prediction-log/postgres';
import { chooseApprovalsStore } from './approvals-adapter';
import { openActivityDeps } from './activity-deps';
import { createWorker } from './worker';
import { MODEL_FILE } from '../domain/model/artifact-bundle';
import { createGatewayAdmin } from '../adapters/gateway/gateway-admin';
import { openPipelineStores } from './pipeline-adapters';
import { createReviewClient } from '../adapters/gateway/review-client';
import { createConsolePorts, type ConsolePortsOptions } from './console-ports';
import { connectTemporal } from '../temporal/connection-interceptors';

/** The demo people `mlgate dev` offers a token-free console sign-in to: the demo approvers, the examples' owner and the demo requester. */
export const DEV_CONSOLE_USERS = ['alice@example.com', 'bob@example.com', 'risk-team@example.com', 'demo@example.com'];

export interface Running {
  name: string;
  urls: Record<string, string>;
  stop(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.MLGATE_LOG_LEVEL, base: { service: 'mlgate' } });
}

export async function connectClient(config: Config, address = config.MLGATE_TEMPORAL_ADDRESS): Promise<{ client: Client; connection: Connection }> {
  const connection = await connectTemporal({ ...config.temporalConnection, address });
  return { client: new Client({ connection, namespace: config.MLGATE_TEMPORAL_NAMESPACE }), connection };
}

let runtimeInstalled = false;
/** The SDK's own logger: its INFO chatter (bundling, state changes) only when debugging. */
function installRuntime(config: Config): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // shutdownSignals: [] — the stack stops its parts itself, in order, on SIGINT/SIGTERM.
  Runtime.install({ logger: new DefaultLogger(['debug', 'trace'].includes(config.MLGATE_LOG_LEVEL) ? 'DEBUG' : 'WARN'), shutdownSignals: [] });
}

export async function startWorker(config: Config, secrets: Secrets, address: string): Promise<Running> {
  installRuntime(config);
  // Activities that start workflows (drift retrains, the monitor) get this client through ports.
  const clientConnection = await connectTemporal({ ...config.temporalConnection, address });
  const client = new Client({ connection: clientConnection, namespace: config.MLGATE_TEMPORAL_NAMESPACE });
  const opened = openActivityDeps({
    dataDir: config.dataDir,
    ...(config.MLGATE_DATABASE_URL ? { databaseUrl: config.MLGATE_DATABASE_URL } : {}),
    piiSalt: secrets.piiSalt,
    approvalSecret: secrets.approvalSecret,
    publicUrl: config.MLGATE_PUBLIC_URL,
    gatewayAdminUrl: config.gatewayAdminUrl,
    adminToken: secrets.adminToken,
    smtp: {
      host: config.MLGATE_SMTP_HOST, port: config.MLGATE_SMTP_PORT, secure: config.MLGATE_SMTP_SECURE, user: config.MLGATE_SMTP_USER,
      password: config.MLGATE_SMTP_PASSWORD, from: config.MLGATE_MAIL_FROM,
    },
    trainerEnv: { PATH: config.systemPath },
    temporal: { client, taskQueue: config.MLGATE_TASK_QUEUE },
    metricsSource: config.MLGATE_METRICS_SOURCE === 'prometheus' && config.MLGATE_PROMETHEUS_URL ? { kind: 'prometheus', url: config.MLGATE_PROMETHEUS_URL } : { kind: 'gateway' },
    maxModelBytes: config.MLGATE_MAX_MODEL_MB * 2 ** 20,
  });
  const activities = createActivities(opened.deps);
  const limits = {
    maxCachedWorkflows: config.MLGATE_WORKER_MAX_CACHED_WORKFLOWS, maxConcurrentActivities: config.MLGATE_WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: config.MLGATE_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, connectOptions: config.temporalConnection,
    heapGrowingPercent: config.MLGATE_WORKER_HEAP_GROWING_PERCENT, workflowThreads: config.MLGATE_WORKER_WORKFLOW_THREADS,
  };
  const { worker, connection } = await createWorker({ address, namespace: config.MLGATE_TEMPORAL_NAMESPACE, taskQueue: config.MLGATE_TASK_QUEUE, activities, ...limits });
  // Training may also run on its own queue; the embedded worker serves both.
  const training = await createWorker({ address, namespace: config.MLGATE_TEMPORAL_NAMESPACE, taskQueue: config.MLGATE_TRAINING_TASK_QUEUE, activities, activitiesOnly: true, ...limits });
  const runs = [worker.run(), training.worker.run()];
  return {
    name: 'worker',
    urls: {},
    async stop() {
      for (const w of [worker, training.worker]) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(runs);
      await connection.close();
      await training.connection.close();
      await clientConnection.close();
      opened.close();
    },
  };
}

/**
 * Replicas share routing and the prediction log in PostgreSQL; one gateway keeps routing.json and
 * predictions.sqlite in its state folder. Feedback may reach a replica before the one that answered
 * has written its batch (every 250 ms), so an unknown id is re-read for 2 s before it is refused.
 */
function replicaStores(url: string, logger: Logger): Pick<Parameters<typeof createGateway>[0], 'openRouting' | 'openPredictionLog' | 'feedbackWaitMs'> {
  return {
    openRouting: () => openPostgresRoutingStore({ url, onError: (err) => logger.warn({ err }, 'routing: PostgreSQL listener or re-read failed; retrying') }),
    openPredictionLog: () => openPostgresPredictionLog({ url, onError: (err) => logger.warn({ err }, 'prediction log: PostgreSQL write or re-read failed; rows kept, retrying') }),
    feedbackWaitMs: 2000,
  };
}

export async function startGateway(config: Config, secrets: Secrets, logger: Logger): Promise<Running> {
  const artifacts = createFsArtifactStore({ root: path.join(config.dataDir, 'artifacts') });
  const gateway = createGateway({
    host: config.MLGATE_HOST,
    port: config.MLGATE_GATEWAY_PORT,
    adminHost: config.MLGATE_ADMIN_HOST,
    adminPort: config.MLGATE_GATEWAY_ADMIN_PORT,
    adminToken: secrets.adminToken,
    stateDir: path.join(config.dataDir, 'gateway'),
    ...(config.MLGATE_DATABASE_URL ? replicaStores(config.MLGATE_DATABASE_URL, logger) : {}),
    loadBundle: (id) => artifacts.get(id),
    loadModelFile: (id) => artifacts.readFile(id, MODEL_FILE),
    faultInjection: config.MLGATE_FAULT_INJECTION,
    // Per-request logs only when debugging: at hundreds of requests/s they drown everything else.
    logger: logger.child({ component: 'gateway' }, { level: ['debug', 'trace'].includes(config.MLGATE_LOG_LEVEL) ? config.MLGATE_LOG_LEVEL : 'warn' }),
  });
  const { url, adminUrl } = await gateway.start();
  return { name: 'gateway', urls: { 'Gateway (predictions, /metrics)': url, 'Gateway admin (token)': adminUrl }, stop: () => gateway.stop() };
}

/**
 * The approvals server with the console at `/`. `devSignIn` (only `mlgate dev`) lets people sign
 * in to the console as one of DEV_CONSOLE_USERS without a token.
 */
export type ApprovalsServerExtras = {
  devSignIn?: boolean;
  /** How the console finds a model's spec to start a release (the CLI reads MLGATE_MODELS_DIR). @default none */
  loadSpec?: ConsolePortsOptions['loadSpec'];
  codeVersion?: string;
};

export async function startApprovalsServer(config: Config, secrets: Secrets, address: string, logger: Logger, o: ApprovalsServerExtras = {}): Promise<Running> {
  const { client, connection } = await connectClient(config, address);
  const store = chooseApprovalsStore({ dataDir: config.dataDir, ...(config.MLGATE_DATABASE_URL ? { databaseUrl: config.MLGATE_DATABASE_URL } : {}) });
  const { registry } = openPipelineStores({ dataDir: config.dataDir, ...(config.MLGATE_DATABASE_URL ? { databaseUrl: config.MLGATE_DATABASE_URL } : {}) });
  const ports = createReleasePorts({ client });
  const gateway = createGatewayAdmin({ adminUrl: config.gatewayAdminUrl, token: secrets.adminToken });
  const review = createReviewClient({ adminUrl: config.gatewayAdminUrl, token: secrets.adminToken });
  const consolePorts = createConsolePorts({
    client, taskQueue: config.MLGATE_TASK_QUEUE, registry, store, gateway, review, trainingTaskQueue: config.MLGATE_TRAINING_TASK_QUEUE,
    ...(o.loadSpec ? { loadSpec: o.loadSpec } : {}), ...(o.codeVersion ? { codeVersion: o.codeVersion } : {}),
  });
  const server = createApprovalsServer({
    host: config.MLGATE_HOST, port: config.MLGATE_SERVER_PORT, publicUrl: config.MLGATE_PUBLIC_URL, secret: secrets.approvalSecret,
    store, decide: ports, readRelease: ports, logger: logger.child({ component: 'approvals' }),
    console: { ports: consolePorts, secureCookies: config.MLGATE_PUBLIC_URL?.startsWith('https:') ?? false, ...(o.devSignIn ? { devUsers: DEV_CONSOLE_USERS } : {}) },
  });
  const { url, publicUrl } = await server.start();
  return {
    name: 'approvals-server',
    urls: { 'Approvals server (API, email links)': url, [o.devSignIn ? 'Console (dev sign-in as a demo user)' : 'Console (sign in with an API token)']: `${publicUrl}/` },
    async stop() {
      await server.stop();
      store.close();
      registry.close();
      await connection.close();
    },
  };
}

/** The embedded SMTP catcher: only when mail goes to loopback, i.e. nobody configured a relay. */
export async function startMailCatcher(config: Config): Promise<Running | null> {
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.MLGATE_SMTP_HOST)) return null;
  const catcher = createMailCatcher({ host: '127.0.0.1', smtpPort: config.MLGATE_SMTP_PORT, webPort: config.MLGATE_MAILBOX_PORT, dataDir: config.dataDir });
  const { webUrl } = await catcher.start();
  return { name: 'smtp-catcher', urls: { 'Mailbox (approval mails)': webUrl }, stop: () => catcher.stop() };
}
