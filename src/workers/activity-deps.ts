/**
 * Composition root for activities: opens the stores and clients the activities need, from plain
 * options (the CLI passes values from Config; tests pass their own). The one place they are wired.
 */
import type { ActivityDeps } from '../activities';
import { openDefaultPipelineStores } from '../activities/pipeline';
import { createGatewayAdmin } from '../adapters/gateway/gateway-admin';
import { createSmtpMailer } from '../adapters/mailer/smtp';
import { createMonitorGateway } from '../activities/monitor';
import { openApprovalsStore, type ApprovalsStore } from '../approvals-server/store/approvals-store';

export interface ActivityDepsOptions {
  dataDir: string;
  piiSalt: string;
  approvalSecret: string;
  publicUrl: string;
  gatewayAdminUrl: string;
  adminToken: string;
  smtp: { host: string; port: number; secure?: boolean; user?: string; password?: string; from: string };
  /** Environment handed to external trainers. @default { PATH } of this process */
  trainerEnv?: Record<string, string | undefined>;
}

export interface OpenedActivityDeps {
  deps: ActivityDeps;
  approvalsStore: ApprovalsStore;
  close(): void;
}

export function openActivityDeps(o: ActivityDepsOptions): OpenedActivityDeps {
  const { artifactStore, registry } = openDefaultPipelineStores({ dataDir: o.dataDir });
  const approvalsStore = openApprovalsStore({ dataDir: o.dataDir });
  const gateway = createGatewayAdmin({ adminUrl: o.gatewayAdminUrl, token: o.adminToken });
  const mailer = createSmtpMailer({
    host: o.smtp.host, port: o.smtp.port, secure: o.smtp.secure ?? false, from: o.smtp.from,
    ...(o.smtp.user ? { auth: { user: o.smtp.user, pass: o.smtp.password ?? '' } } : {}),
  });
  const deps: ActivityDeps = {
    pipeline: { dataDir: o.dataDir, piiSalt: o.piiSalt, artifactStore, registry, externalTrainer: { env: o.trainerEnv ?? { PATH: process.env.PATH } } },
    rollout: { deploymentTarget: gateway, metricsSource: gateway },
    approval: { mailer, secret: o.approvalSecret, publicUrl: o.publicUrl, store: approvalsStore },
    monitor: { dataDir: o.dataDir, mailer, gateway: createMonitorGateway({ adminUrl: o.gatewayAdminUrl, token: o.adminToken }) },
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
