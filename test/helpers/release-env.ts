/**
 * A whole embedded mlgate for one test file: real gateway (HTTP), real SMTP catcher, real SQLite
 * registry and approvals store in a temp folder, and a real worker on the shared Temporal server.
 */
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../src/activities';
import { createFsArtifactStore } from '../../src/adapters/artifact-store/fs';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import type { ModelSpecInput } from '../../src/domain/spec';
import { ModelSpecSchema } from '../../src/domain/spec';
import { createGateway } from '../../src/gateway';
import { freePort } from '../../src/temporal/free-port';
import { createMailCatcher, type MailCatcher } from '../../src/smtp-catcher/catcher';
import { runTraffic, type TrafficStats } from '../../src/traffic';
import type { ReleaseInputRaw } from '../../src/domain/release';
import { openActivityDeps, type OpenedActivityDeps } from '../../src/workers/activity-deps';
import { createWorker } from '../../src/workers/worker';
import { decideUpdate } from '../../src/workflows/messages';
import { releaseWorkflow } from '../../src/workflows/release';
import { ModelKey, RiskClassKey } from '../../src/workflows/search-attributes';
import { bundleWorkflows, temporalAddress, testClient, unique } from './temporal';
import { startPrometheus } from '../../src/prometheus/local-prometheus';
import { startPostgres } from '../../src/postgres/local-postgres';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SECRET = 'test-approval-secret-0123456789abcdef0123456789';

export interface ReleaseEnv {
  dataDir: string;
  /** The Prometheus the worker reads windows from, when opened with `prometheus: true`. */
  prometheusUrl?: string;
  /** The PostgreSQL holding the registry, when opened with `postgres: true`. */
  databaseUrl?: string;
  client: Client;
  taskQueue: string;
  gatewayUrl: string;
  gatewayAdminUrl: string;
  mail: MailCatcher;
  opened: OpenedActivityDeps;
  startRelease(spec: ModelSpecInput, opts?: Partial<ReleaseInputRaw> & { id?: string }): Promise<WorkflowHandle<typeof releaseWorkflow>>;
  decide(handle: WorkflowHandle, gate: 'deploy' | 'promote', approver: string, decision?: 'approve' | 'reject'): Promise<unknown>;
  /** Open-loop traffic; `signal` stops it early (what was sent is still counted). */
  traffic(model: string, durationMs: number, rps?: number, opts?: { signal?: AbortSignal; rows?: Record<string, unknown>[] }): Promise<TrafficStats>;
  /**
   * Traffic that flows until `stop()` (capped at 10 minutes): tests wait on a condition, not on how
   * much traffic fits into a fixed stretch of wall time on a busy machine.
   */
  flowingTraffic(model: string, opts?: { rps?: number; rows?: Record<string, unknown>[] }): FlowingTraffic;
  /** Stops the gateway and starts a new one on the same state folder and the same ports (a restart mid-rollout). */
  restartGateway(): Promise<void>;
  /** An outage: the gateway stops answering (both listeners) until `startGateway`. */
  stopGateway(): Promise<void>;
  /** Starts a new gateway on the same state folder and ports after `stopGateway`. */
  startGateway(): Promise<void>;
  close(): Promise<void>;
}

/** Traffic running in the background until stopped. */
export interface FlowingTraffic {
  /** Stops scheduling requests, waits for those in flight, and returns what was sent. */
  stop(): Promise<TrafficStats>;
}

/** A small, fast credit-risk spec: short bakes, low sample minimums, two approvers. */
export function creditSpec(id: string, overrides: Partial<ModelSpecInput> = {}): ModelSpecInput {
  return {
    id,
    owner: 'owner@example.com',
    riskClass: 'medium',
    data: {
      source: { kind: 'synthetic-credit', rows: 1500, seed: 1 },
      label: 'default',
      features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'],
      categorical: ['region'],
      pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }],
      split: { kind: 'random', testFraction: 0.25, seed: 3 },
    },
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 120, learningRate: 0.2 }, seed: 7 },
    offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.6 }], maxSliceGap: 0.5, maxSliceRegression: 0.5, maxRegression: 0.5 },
    slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', onInconclusive: 'rollback' },
    strategy: { kind: 'canary', steps: [50, 100], stepBake: '1500ms', postPromotionWatch: '1500ms' },
    approval: { approvers: ['alice@example.com', 'bob@example.com'] },
    ...overrides,
  };
}

/** Optional wiring for tests that need it; omitted fields keep the defaults above. */
export interface ReleaseEnvOptions {
  /** Base URL put into emailed approval links (an approvals server the test starts). @default a dummy URL */
  publicUrl?: string;
  /** SMTP port the worker's mailer sends to (a closed port simulates a relay that is down). @default the catcher's port */
  smtpPort?: number;
  /** Read rollout and monitor windows from a real Prometheus scraping the gateway (MLGATE_METRICS_SOURCE=prometheus). @default false */
  prometheus?: boolean;
  /** Keep the registry in a real local PostgreSQL (MLGATE_DATABASE_URL). @default false: SQLite in the data folder */
  postgres?: boolean;
}

export async function openReleaseEnv(envOptions: ReleaseEnvOptions = {}): Promise<ReleaseEnv> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-release-'));
  const { client, connection } = await testClient();
  const taskQueue = unique('release');
  const artifacts = createFsArtifactStore({ root: path.join(dataDir, 'artifacts') });
  const newGateway = (ports: { port?: number; adminPort?: number } = {}) =>
    createGateway({ adminToken: ADMIN_TOKEN, stateDir: path.join(dataDir, 'gateway'), loadBundle: (id) => artifacts.get(id), loadModelFile: (id) => artifacts.readFile(id, 'model.onnx'), faultInjection: true, ...ports });
  // A restart reuses these ports: they come from below the ephemeral range, where no outgoing connection can take them meanwhile.
  let gateway = newGateway({ port: await freePort(), adminPort: await freePort() });
  const stopGateway = () => gateway.stop();
  const startGateway = async () => {
    gateway = newGateway({ port: Number(new URL(gatewayUrl).port), adminPort: Number(new URL(gatewayAdminUrl).port) });
    await gateway.start();
  };
  const { url: gatewayUrl, adminUrl: gatewayAdminUrl } = await gateway.start();
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort } = await mail.start();
  const prometheus = envOptions.prometheus ? await startPrometheus([new URL(gatewayUrl).host]) : null;
  const postgres = envOptions.postgres ? await startPostgres() : null;
  const opened = openActivityDeps({
    dataDir, piiSalt: 'test-pii-salt-0123456789', approvalSecret: SECRET, publicUrl: envOptions.publicUrl ?? 'http://127.0.0.1:9', gatewayAdminUrl, adminToken: ADMIN_TOKEN,
    smtp: { host: '127.0.0.1', port: envOptions.smtpPort ?? smtpPort, from: 'mlgate <mlgate@test>' }, trainerEnv: { PATH: process.env.PATH },
    temporal: { client, taskQueue },
    ...(prometheus ? { metricsSource: { kind: 'prometheus' as const, url: prometheus.url } } : {}),
    ...(postgres ? { databaseUrl: postgres.url } : {}),
  });
  const { worker, connection: workerConnection } = await createWorker({ address: temporalAddress(), namespace: 'default', taskQueue, activities: createActivities(opened.deps), workflowBundle: await sharedBundle() });
  const running = worker.run();
  const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];
  const flowing: AbortController[] = [];
  return {
    dataDir, client, taskQueue, gatewayUrl, gatewayAdminUrl, mail, opened, ...(prometheus ? { prometheusUrl: prometheus.url } : {}), ...(postgres ? { databaseUrl: postgres.url } : {}),
    async startRelease(spec, opts = {}) {
      const parsed = ModelSpecSchema.parse(spec);
      return client.workflow.start(releaseWorkflow, {
        taskQueue,
        workflowId: opts.id ?? unique(`release-${parsed.id}`),
        args: [{ spec: parsed, specDir: dataDir, requester: 'carol@example.com', codeVersion: 'test', lockWait: '20s', ...opts }],
        // As every real starter does: visibility lists releases by model (`mlgate releases`, `mlgate whatif --model`).
        typedSearchAttributes: [{ key: ModelKey, value: parsed.id }, { key: RiskClassKey, value: parsed.riskClass }],
      });
    },
    decide(handle, gate, approver, decision = 'approve') {
      return handle.executeUpdate(decideUpdate, { args: [{ gate, approver, decision, comment: `${decision} in test`, channel: 'cli' }] });
    },
    traffic(model, durationMs, rps = 80, opts = {}) {
      return runTraffic({ gatewayUrl, model, rows: opts.rows ?? rows, rps, durationMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    },
    flowingTraffic(model, opts = {}) {
      const abort = new AbortController();
      flowing.push(abort);
      const running = runTraffic({ gatewayUrl, model, rows: opts.rows ?? rows, rps: opts.rps ?? 80, durationMs: 600_000, signal: abort.signal });
      return {
        stop() {
          abort.abort();
          return running;
        },
      };
    },
    async restartGateway() {
      await stopGateway();
      await startGateway();
    },
    stopGateway,
    startGateway,
    async close() {
      // A test that failed half-way must not leave traffic running for the rest of the run.
      for (const a of flowing) a.abort();
      await shutdown(worker, running, workerConnection, connection);
      await gateway.stop();
      await mail.stop();
      await prometheus?.stop();
      opened.close();
      await postgres?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function shutdown(worker: Worker, running: Promise<void>, wc: { close(): Promise<void> }, c: Connection): Promise<void> {
  worker.shutdown();
  await running;
  await wc.close();
  await c.close();
}

let bundle: ReturnType<typeof bundleWorkflows> | undefined;
function sharedBundle() {
  return (bundle ??= bundleWorkflows());
}

/** Polls the status query until `pred` holds (workflows move asynchronously). */
export async function waitForStage<T>(read: () => Promise<T>, pred: (s: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await read();
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last: ${JSON.stringify(s).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
