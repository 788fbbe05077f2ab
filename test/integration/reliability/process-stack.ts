/**
 * The pieces a fault test needs, as real parts: the worker as a child process (`mlgate worker`,
 * so it can be SIGKILLed), and a gateway and SMTP catcher in the test process on free ports that
 * outlive any worker. All state (registry, artifacts, approvals) lives in one temp data folder.
 */
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exited, startMlgateProcess } from '../../../src/cluster/mlgate-process';
import { openPipelineStores } from '../../../src/workers/pipeline-adapters';
import { createFsArtifactStore } from '../../../src/adapters/artifact-store/fs';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import type { Routing } from '../../../src/domain/routing';
import type { ModelSpecInput } from '../../../src/domain/spec';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { createGateway } from '../../../src/gateway';
import { freePort } from '../../../src/temporal/free-port';
import { createMailCatcher, type MailCatcher } from '../../../src/smtp-catcher/catcher';
import type { Registry } from '../../../src/ports/registry';
import { runTraffic, type TrafficStats } from '../../../src/traffic';
import { decideUpdate, statusQuery } from '../../../src/workflows/messages';
import { releaseWorkflow } from '../../../src/workflows/release';
import { ADMIN_TOKEN, SECRET } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { connectTemporal } from '../../../src/temporal/connection-interceptors';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown hooks, no graceful drain, exactly what an OOM kill or a lost node does. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessStack {
  dataDir: string;
  taskQueue: string;
  client: Client;
  mail: MailCatcher;
  gatewayAdminUrl: string;
  startWorker(): Promise<WorkerProcess>;
  startRelease(spec: ModelSpecInput): Promise<WorkflowHandle<typeof releaseWorkflow>>;
  decide(h: WorkflowHandle, gate: 'deploy' | 'promote', approver: string, decision?: 'approve' | 'reject'): Promise<unknown>;
  traffic(model: string, signal: AbortSignal): Promise<TrafficStats>;
  /** An outage: the gateway stops answering (both listeners) until `startGateway`. */
  stopGateway(): Promise<void>;
  /** A new gateway on the same state folder and the same ports. */
  startGateway(): Promise<void>;
  /** The gateway's routing for `model`, or null when it has none (or is down). */
  routing(model: string): Promise<Routing | null>;
  /** Opens the worker's SQLite registry read-side (after the releases are done). */
  registry(): Registry;
  close(): Promise<void>;
}

export interface ProcessStackOptions {
  /** Temporal frontend the worker and the client use. */
  address: string;
}

export async function openProcessStack({ address }: ProcessStackOptions): Promise<ProcessStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-fault-'));
  const artifacts = createFsArtifactStore({ root: path.join(dataDir, 'artifacts') });
  const newGateway = (ports: { port?: number; adminPort?: number } = {}) =>
    createGateway({ adminToken: ADMIN_TOKEN, stateDir: path.join(dataDir, 'gateway'), loadBundle: (id) => artifacts.get(id), loadModelFile: (id) => artifacts.readFile(id, 'model.onnx'), ...ports });
  // A restart reuses these ports: they come from below the ephemeral range, where no outgoing connection can take them meanwhile.
  let gateway = newGateway({ port: await freePort(), adminPort: await freePort() });
  const { url: gatewayUrl, adminUrl: gatewayAdminUrl } = await gateway.start();
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort } = await mail.start();
  const connection = await connectTemporal({ address });
  const client = new Client({ connection, namespace: 'default' });
  const taskQueue = unique('fault');
  const env = {
    PATH: process.env.PATH ?? '', HOME: os.tmpdir(),
    MLGATE_TEMPORAL_ADDRESS: address, MLGATE_DATA_DIR: dataDir, MLGATE_TASK_QUEUE: taskQueue, MLGATE_TRAINING_TASK_QUEUE: `${taskQueue}-training`,
    MLGATE_GATEWAY_ADMIN_URL: gatewayAdminUrl, MLGATE_SMTP_HOST: '127.0.0.1', MLGATE_SMTP_PORT: String(smtpPort), MLGATE_PUBLIC_URL: 'http://127.0.0.1:9',
    MLGATE_APPROVAL_SECRET: SECRET, MLGATE_ADMIN_TOKEN: ADMIN_TOKEN, MLGATE_PII_SALT: 'test-pii-salt-0123456789', MLGATE_LOG_LEVEL: 'warn',
  };
  const workers: ChildProcess[] = [];
  const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];
  let registry: Registry | undefined;
  return {
    dataDir, taskQueue, client, mail, gatewayAdminUrl,
    async startWorker() {
      const w = await startMlgateProcess('worker', 'worker', env, 120_000);
      workers.push(w.child);
      return w;
    },
    startRelease(spec) {
      const parsed = ModelSpecSchema.parse(spec);
      return client.workflow.start(releaseWorkflow, {
        taskQueue, workflowId: unique(`release-${parsed.id}`),
        args: [{ spec: parsed, specDir: dataDir, requester: 'carol@example.com', codeVersion: 'test', lockWait: '20s' }],
      });
    },
    decide: (h, gate, approver, decision = 'approve') => h.executeUpdate(decideUpdate, { args: [{ gate, approver, decision, comment: 'after a crash', channel: 'cli' }] }),
    traffic: (model, signal) => runTraffic({ gatewayUrl, model, rows, rps: 60, durationMs: 180_000, signal }),
    async routing(model) {
      const r = await fetch(`${gatewayAdminUrl}/admin/models/${model}/routing`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).catch(() => null);
      return r?.ok ? ((await r.json()) as Routing) : null;
    },
    stopGateway: () => gateway.stop(),
    async startGateway() {
      gateway = newGateway({ port: Number(new URL(gatewayUrl).port), adminPort: Number(new URL(gatewayAdminUrl).port) });
      await gateway.start();
    },
    registry: () => (registry ??= openPipelineStores({ dataDir }).registry),
    async close() {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      await Promise.all(workers.map(exited));
      registry?.close();
      await connection.close();
      await gateway.stop();
      await mail.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `pred` every 100 ms until it holds. */
export async function waitFor(pred: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/** The attempt number of each started `activity`, read from the history (one started event per finished attempt chain). */
export async function startedAttempts(h: WorkflowHandle, activity: string): Promise<number[]> {
  const events: HistoryEvents = (await h.fetchHistory()).events ?? [];
  const scheduled = new Map(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [[e.eventId?.toString(), e.activityTaskScheduledEventAttributes.activityType?.name]] : [])));
  return events.flatMap((e) => {
    const started = e.activityTaskStartedEventAttributes;
    return started && scheduled.get(started.scheduledEventId?.toString()) === activity ? [started.attempt ?? 0] : [];
  });
}

type PendingActivity = { activityType?: { name?: string | null } | null; attempt?: number | null; lastFailure?: { message?: string | null } | null };

/** The pending (running or retrying) activity of that type, from describe(). */
export async function pendingActivity(h: WorkflowHandle, activity: string): Promise<PendingActivity | undefined> {
  return ((await h.describe()).raw.pendingActivities as PendingActivity[] | null | undefined)?.find((a) => a.activityType?.name === activity);
}

/** Polls the status query until `pred` holds. */
export async function waitStatus(h: WorkflowHandle, pred: (s: Awaited<ReturnType<typeof readStatus>>) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await readStatus(h);
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`status not reached within ${timeoutMs} ms; last: ${JSON.stringify(s).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function readStatus(h: WorkflowHandle) {
  return h.query(statusQuery);
}
