/**
 * The scale-out topology as local processes, started by `npm run cluster` and by the scale-out
 * suite alike: PostgreSQL (Debian's), a real Temporal server on it (built from the Go module),
 * Prometheus scraping both gateways, two `mlgate gateway`s, the approvals server (`mlgate server`)
 * and two `mlgate worker`s, all sharing mlgate's state in PostgreSQL (MLGATE_DATABASE_URL) and the
 * artifacts in one data folder. A mail catcher in this process takes the approval mails. Every
 * process writes its whole output to `<dataDir>/logs/<name>.log`; `stop({ keepLogs: true })` and a
 * failed start leave that folder behind, to read after a failure.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type LocalPostgres } from '../postgres/local-postgres';
import { startPrometheus, type LocalPrometheus } from '../prometheus/local-prometheus';
import { createMailCatcher } from '../smtp-catcher/catcher';
import { freePort } from '../temporal/free-port';
import { CLUSTER_REPLICAS, processEnv, type SharedEnv } from './cluster-env';
import { startMlgateProcess, type MlgateProcess } from './mlgate-process';
import { startTemporalServer, type LocalTemporalServer } from './temporal-server';

export interface ClusterOptions {
  /** Let the gateways take injected faults (drills and tests only). @default false */
  faultInjection?: boolean;
  /** Prometheus scrape interval; it adds to detection time. @default "2s", as deploy/prometheus/prometheus.yml */
  scrapeInterval?: string;
  /** @default "warn" */
  logLevel?: string;
  /** Secrets; generated for this run when absent. */
  secrets?: { approvalSecret: string; adminToken: string; piiSalt: string };
}

export interface GatewayReplica {
  url: string;
  adminUrl: string;
  process: MlgateProcess;
}

export interface Cluster {
  dataDir: string;
  /** `<dataDir>/logs`: one `<process>.log` per process (temporal-server, postgres, prometheus, gateway-1, worker-2, ...). */
  logDir: string;
  env: SharedEnv;
  postgres: LocalPostgres;
  temporal: LocalTemporalServer;
  prometheus: LocalPrometheus;
  mailboxUrl: string;
  gateways: GatewayReplica[];
  workers: MlgateProcess[];
  server: { url: string; process: MlgateProcess };
  /** Another `mlgate worker` on the same settings (after one was killed, say). */
  startWorker(): Promise<MlgateProcess>;
  /** What to print: every address of the topology. */
  urls(): Record<string, string>;
  /** Stops every process and removes the data folder; with keepLogs, `logDir` stays. */
  stop(o?: { keepLogs?: boolean }): Promise<void>;
}

const secret = () => randomBytes(32).toString('hex');

const logOf = (logDir: string, name: string) => path.join(logDir, `${name}.log`);

async function startGateways(count: number, shared: SharedEnv, faultInjection: boolean, logDir: string): Promise<GatewayReplica[]> {
  const replicas: GatewayReplica[] = [];
  for (let i = 1; i <= count; i++) {
    const [port, adminPort] = [await freePort(), await freePort()];
    const env = processEnv('gateway', shared, { MLGATE_GATEWAY_PORT: String(port), MLGATE_GATEWAY_ADMIN_PORT: String(adminPort), MLGATE_FAULT_INJECTION: String(faultInjection) });
    const process = await startMlgateProcess('gateway', `gateway-${i}`, env, undefined, logOf(logDir, `gateway-${i}`));
    replicas.push({ url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${adminPort}`, process });
  }
  return replicas;
}

/** Stops what started so far, newest first, when a later part fails; then rethrows. */
async function unwind(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

/** PostgreSQL, the Temporal server on it, and the mail catcher; each pushes its stop onto `stops`. */
async function startBackends(dataDir: string, logDir: string, stops: Array<() => Promise<void>>) {
  // Temporal keeps four services' pools, mlgate five processes' pools: more than the default 100.
  const postgres = await startPostgres({ maxConnections: 400, logFile: logOf(logDir, 'postgres') });
  stops.push(() => postgres.stop());
  const temporal = await startTemporalServer({ pgPort: postgres.port, workDir: path.join(dataDir, 'temporal'), logFile: logOf(logDir, 'temporal-server') });
  stops.push(() => temporal.stop());
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort, webUrl: mailboxUrl } = await mail.start();
  stops.push(() => mail.stop());
  return { postgres, temporal, smtpPort, mailboxUrl };
}

function sharedEnv(o: ClusterOptions, dataDir: string, b: Awaited<ReturnType<typeof startBackends>>, serverPort: number): SharedEnv {
  const s = o.secrets ?? { approvalSecret: secret(), adminToken: secret(), piiSalt: secret() };
  return {
    MLGATE_TEMPORAL_ADDRESS: b.temporal.address, MLGATE_TEMPORAL_NAMESPACE: b.temporal.namespace, MLGATE_TASK_QUEUE: 'mlgate-releases',
    MLGATE_TRAINING_TASK_QUEUE: 'mlgate-training', MLGATE_DATA_DIR: path.join(dataDir, 'data'), MLGATE_DATABASE_URL: b.postgres.url,
    MLGATE_PUBLIC_URL: `http://127.0.0.1:${serverPort}`, MLGATE_SMTP_HOST: '127.0.0.1', MLGATE_SMTP_PORT: String(b.smtpPort),
    MLGATE_LOG_LEVEL: o.logLevel ?? 'warn', MLGATE_APPROVAL_SECRET: s.approvalSecret, MLGATE_ADMIN_TOKEN: s.adminToken, MLGATE_PII_SALT: s.piiSalt,
  };
}

function clusterUrls(c: Omit<Cluster, 'urls' | 'stop' | 'startWorker'>): Record<string, string> {
  return {
    'Temporal frontend (gRPC)': c.temporal.address, PostgreSQL: c.postgres.url, Prometheus: c.prometheus.url,
    ...Object.fromEntries(c.gateways.flatMap((g, i) => [[`Gateway ${i + 1} (predictions, /metrics)`, g.url], [`Gateway ${i + 1} admin (token)`, g.adminUrl]])),
    'Approvals server and console': c.server.url, 'Mailbox (approval mails)': c.mailboxUrl, 'Data folder (artifacts)': c.env.MLGATE_DATA_DIR, 'Logs (one file per process)': c.logDir,
  };
}

/** Removes the data folder, or with keepLogs everything in it but the logs. */
function removeDataDir(dataDir: string, keepLogs: boolean): void {
  if (!keepLogs) return rmSync(dataDir, { recursive: true, force: true });
  for (const entry of readdirSync(dataDir)) if (entry !== 'logs') rmSync(path.join(dataDir, entry), { recursive: true, force: true });
}

export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-cluster-'));
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir);
  let keepLogs = false;
  const stops: Array<() => Promise<void>> = [async () => removeDataDir(dataDir, keepLogs)];
  try {
    const backends = await startBackends(dataDir, logDir, stops);
    const serverPort = await freePort();
    const env = sharedEnv(o, dataDir, backends, serverPort);
    const all: MlgateProcess[] = [];
    stops.push(() => Promise.all(all.map((p) => p.stop())).then(() => undefined));
    const gateways = await startGateways(CLUSTER_REPLICAS.gateway, env, o.faultInjection ?? false, logDir);
    all.push(...gateways.map((g) => g.process));
    const prometheus = await startPrometheus(gateways.map((g) => new URL(g.url).host), o.scrapeInterval ?? '2s', logOf(logDir, 'prometheus'));
    stops.splice(stops.length - 1, 0, () => prometheus.stop()); // stopped after the mlgate processes
    // Locally there is no load balancer: workers and the server use the first gateway's admin API;
    // routing reaches the other replica through PostgreSQL.
    const adminUrl = gateways[0].adminUrl;
    const server = await startMlgateProcess('server', 'server', processEnv('server', env, { MLGATE_SERVER_PORT: String(serverPort), MLGATE_GATEWAY_ADMIN_URL: adminUrl }), undefined, logOf(logDir, 'server'));
    all.push(server);
    const workerEnv = processEnv('worker', env, { MLGATE_GATEWAY_ADMIN_URL: adminUrl, MLGATE_METRICS_SOURCE: 'prometheus', MLGATE_PROMETHEUS_URL: prometheus.url });
    let n = 0;
    const startWorker = async () => {
      const name = `worker-${++n}`;
      const w = await startMlgateProcess('worker', name, workerEnv, undefined, logOf(logDir, name));
      all.push(w);
      return w;
    };
    const workers: MlgateProcess[] = [];
    for (let i = 0; i < CLUSTER_REPLICAS.worker; i++) workers.push(await startWorker());
    const { postgres, temporal, mailboxUrl } = backends;
    const parts = { dataDir, logDir, env, postgres, temporal, prometheus, mailboxUrl, gateways, workers, server: { url: env.MLGATE_PUBLIC_URL, process: server } };
    return { ...parts, startWorker, urls: () => clusterUrls(parts), stop: (so = {}) => ((keepLogs = so.keepLogs ?? false), unwind(stops)) };
  } catch (err) {
    keepLogs = true;
    await unwind(stops);
    throw new Error(`the cluster did not start: ${(err as Error).message}\nlogs of every process: ${logDir}`, { cause: err });
  }
}
