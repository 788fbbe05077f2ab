/**
 * What a scale-out test drives on the local cluster (src/cluster/topology.ts): a Temporal client on
 * its server, releases started and decided as the CLI does, traffic through both gateways, each
 * gateway's routing, and the registry read from the cluster's PostgreSQL.
 */
import { Client, type WorkflowHandle } from '@temporalio/client';
import { createGatewayAdmin, type GatewayAdmin } from '../../src/adapters/gateway/gateway-admin';
import { startCluster, type Cluster, type GatewayReplica } from '../../src/cluster/topology';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import type { Routing } from '../../src/domain/routing';
import { ModelSpecSchema, type ModelSpecInput } from '../../src/domain/spec';
import type { ReleaseStatus } from '../../src/domain/release-status';
import type { Registry } from '../../src/ports/registry';
import { runTraffic, type TrafficStats } from '../../src/traffic';
import { openPipelineStores } from '../../src/workers/pipeline-adapters';
import { decideUpdate, statusQuery } from '../../src/workflows/messages';
import { releaseWorkflow } from '../../src/workflows/release';
import { unique } from '../helpers/temporal';
import { connectTemporal } from '../../src/temporal/connection-interceptors';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
const ROWS = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

export interface ClusterTest {
  cluster: Cluster;
  client: Client;
  admin(gw: GatewayReplica): GatewayAdmin;
  startRelease(spec: ModelSpecInput): Promise<WorkflowHandle<typeof releaseWorkflow>>;
  decide(h: WorkflowHandle, gate: 'deploy' | 'promote', approver: string, decision?: 'approve' | 'reject'): Promise<unknown>;
  status(h: WorkflowHandle): Promise<ReleaseStatus>;
  /** Routing as one replica serves it; null when it has none or is down. */
  routing(gw: GatewayReplica, model: string): Promise<Routing | null>;
  /** Traffic through every gateway at once, until the returned stop() (bounded at ten minutes). */
  traffic(model: string, rps?: number): SpreadTraffic;
  registry(): Registry;
  close(): Promise<void>;
}

export interface SpreadTraffic {
  /** Running totals per gateway, updated about once a second. */
  live: TrafficStats[];
  stop(): Promise<TrafficStats[]>;
}

/** What test/scale-out/environment.js noted as failed in this file so far. */
const failures = (): string[] => (globalThis as { scaleOutFailures?: string[] }).scaleOutFailures ?? [];

function logList(cluster: Cluster): string {
  const named = [['temporal-server', cluster.temporal.logFile], ...[...cluster.gateways.map((g) => g.process), cluster.server.process, ...cluster.workers].map((p) => [p.name, p.logFile])];
  return [...named.map(([name, file]) => `  ${name}: ${file ?? '(none)'}`), `  postgres, prometheus and any later worker: ${cluster.logDir}`].join('\n');
}

const noStats = (): TrafficStats => ({ sent: 0, ok: 0, errors: 0, dropped: 0, versions: {}, statusCodes: {}, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }, elapsedMs: 0 });

export async function openClusterTest(): Promise<ClusterTest> {
  const cluster = await startCluster({ faultInjection: true });
  const connection = await connectTemporal({ address: cluster.temporal.address });
  const client = new Client({ connection, namespace: cluster.temporal.namespace });
  const token = cluster.env.MLGATE_ADMIN_TOKEN;
  let registry: Registry | undefined;
  const t: ClusterTest = {
    cluster, client,
    admin: (gw) => createGatewayAdmin({ adminUrl: gw.adminUrl, token }),
    startRelease(spec) {
      const parsed = ModelSpecSchema.parse(spec);
      return client.workflow.start(releaseWorkflow, {
        taskQueue: cluster.env.MLGATE_TASK_QUEUE, workflowId: unique(`release-${parsed.id}`),
        args: [{ spec: parsed, specDir: cluster.env.MLGATE_DATA_DIR, requester: 'carol@example.com', codeVersion: 'scale-out-test', lockWait: '20s' }],
      });
    },
    decide: (h, gate, approver, decision = 'approve') => h.executeUpdate(decideUpdate, { args: [{ gate, approver, decision, comment: 'scale-out test', channel: 'cli' }] }),
    status: (h) => h.query(statusQuery),
    routing: (gw, model) => t.admin(gw).getRouting(model).catch(() => null),
    traffic(model, rps = 20) {
      const abort = new AbortController();
      const live = cluster.gateways.map(noStats);
      const runs = cluster.gateways.map((gw, i) =>
        runTraffic({ gatewayUrl: gw.url, model, rows: ROWS, rps, durationMs: 600_000, signal: abort.signal, timeoutMs: 10_000, onStats: (s) => (live[i] = s) }));
      return { live, stop: () => (abort.abort(), Promise.all(runs)) };
    },
    registry: () => (registry ??= openPipelineStores({ dataDir: cluster.env.MLGATE_DATA_DIR, databaseUrl: cluster.env.MLGATE_DATABASE_URL }).registry),
    async close() {
      registry?.close();
      await connection.close();
      const failed = failures();
      await cluster.stop({ keepLogs: failed.length > 0 });
      if (failed.length > 0) console.error(`scale-out: ${failed.length} failure(s) (${failed.join('; ')}); every process's log is kept:\n${logList(cluster)}`);
    },
  };
  return t;
}
