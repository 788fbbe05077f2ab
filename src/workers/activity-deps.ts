/**
 * Composition root for activities: opens the stores and clients the activities need, from plain
 * options (the CLI passes values from Config; tests pass their own). The one place they are wired.
 */
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import { createGatewayAdmin } from '../adapters/gateway/gateway-admin';
import { createSmtpMailer } from '../adapters/mailer/smtp';
import { createModelRuntime } from '../adapters/model-runtime';
import { createMonitorGateway } from '../adapters/monitor-gateway/admin-http';
import { createPrometheusMetricsSource } from '../adapters/metrics-source/prometheus';
import { createTemporalMonitorStarter } from '../adapters/monitor-starter/temporal';
import { createTemporalReleaseStarter } from '../adapters/release-starter/temporal';
import { createTemporalRollbackStarter } from '../adapters/rollback-starter/temporal';
import type { ApprovalsStore } from '../ports/approvals-store';
import { chooseApprovalsStore } from './approvals-adapter';
import { createTrainers, openPipelineStores } from './pipeline-adapters';

export interface ActivityDepsOptions {
  dataDir: string;
  /** postgres://… for the registry and the approvals store (MLGATE_DATABASE_URL). @default SQLite in dataDir */
  databaseUrl?: string;
  piiSalt: string;
  approvalSecret: string;
  publicUrl: string;
  gatewayAdminUrl: string;
  adminToken: string;
  smtp: { host: string; port: number; secure?: boolean; user?: string; password?: string; from: string };
  /** Environment handed to external trainers. @default { PATH } of this process */
  trainerEnv?: Record<string, string | undefined>;
  /** Largest model.onnx accepted from an external trainer. @default 512 MiB */
  maxModelBytes?: number;
  /** Where rollout and monitor metrics come from. @default the gateway's own windows */
  metricsSource?: { kind: 'gateway' } | { kind: 'prometheus'; url: string };
  /** Where activities start workflows (drift retrains, the monitor): a client and the releases task queue. */
  temporal: { client: Client; taskQueue: string };
}

export interface OpenedActivityDeps {
  deps: ActivityDeps;
  approvalsStore: ApprovalsStore;
  close(): void;
}

export function openActivityDeps(o: ActivityDepsOptions): OpenedActivityDeps {
  const { artifactStore, registry } = openPipelineStores({ dataDir: o.dataDir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  const approvalsStore = chooseApprovalsStore({ dataDir: o.dataDir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  const gateway = createGatewayAdmin({ adminUrl: o.gatewayAdminUrl, token: o.adminToken });
  const mailer = createSmtpMailer({
    host: o.smtp.host, port: o.smtp.port, secure: o.smtp.secure ?? false, from: o.smtp.from,
    ...(o.smtp.user ? { auth: { user: o.smtp.user, pass: o.smtp.password ?? '' } } : {}),
  });
  const deps: ActivityDeps = {
    pipeline: {
      dataDir: o.dataDir, piiSalt: o.piiSalt, artifactStore, registry,
      trainers: createTrainers({ env: o.trainerEnv ?? { PATH: process.env.PATH }, ...(o.maxModelBytes ? { maxModelBytes: o.maxModelBytes } : {}) }),
      createRuntime: createModelRuntime,
    },
    rollout: { deploymentTarget: gateway, metricsSource: o.metricsSource?.kind === 'prometheus' ? createPrometheusMetricsSource({ url: o.metricsSource.url }) : gateway },
    approval: { mailer, secret: o.approvalSecret, publicUrl: o.publicUrl, store: approvalsStore },
    monitor: {
      dataDir: o.dataDir, mailer, gateway: createMonitorGateway({ adminUrl: o.gatewayAdminUrl, token: o.adminToken }),
      releases: createTemporalReleaseStarter(o.temporal), monitors: createTemporalMonitorStarter(o.temporal), rollbacks: createTemporalRollbackStarter(o.temporal),
    },
  };
  return {
    deps,
    approvalsStore,
    close: () => {
      registry.close();
      approvalsStore.close();
    },
  };
}
