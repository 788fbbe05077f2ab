/**
 * Everything the approval benchmark runs against, all real and on 127.0.0.1: its own Temporal
 * dev server (in memory), one worker with the real activities, the serving gateway, the SMTP
 * catcher, and the approvals server wired to the Temporal-backed ports.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../src/activities';
import { createFsArtifactStore } from '../../src/adapters/artifact-store/fs';
import { createReleasePorts } from '../../src/client/release-ports';
import { createGateway } from '../../src/gateway';
import { createMailCatcher } from '../../src/mail/catcher';
import { createApprovalsServer } from '../../src/server/approvals-server';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { openActivityDeps, type OpenedActivityDeps } from '../../src/workers/activity-deps';
import { createWorker } from '../../src/workers/worker';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const SECRET = 'bench-approval-secret-0123456789abcdef0123456789';

export interface BenchStack {
  client: Client;
  taskQueue: string;
  dataDir: string;
  approvalsUrl: string;
  opened: OpenedActivityDeps;
  close(): Promise<void>;
}

export async function openBenchStack(): Promise<BenchStack> {
  // Worker warnings (e.g. late completions of the terminated releases) would bury the table.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-bench-approval-'));
  const temporal = await startDevServer({ port: await freePort(), headless: true, startTimeoutMs: 180_000 });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const artifacts = createFsArtifactStore({ root: path.join(dataDir, 'artifacts') });
  const gateway = createGateway({ adminToken: ADMIN_TOKEN, stateDir: path.join(dataDir, 'gateway'), loadBundle: (id) => artifacts.get(id) });
  const { adminUrl: gatewayAdminUrl } = await gateway.start();
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort } = await mail.start();
  const approvalsPort = await freePort();
  const publicUrl = `http://127.0.0.1:${approvalsPort}`;
  const opened = openActivityDeps({
    dataDir, piiSalt: 'bench-pii-salt-0123456789', approvalSecret: SECRET, publicUrl, gatewayAdminUrl, adminToken: ADMIN_TOKEN,
    smtp: { host: '127.0.0.1', port: smtpPort, from: 'mlgate <mlgate@bench>' },
  });
  const ports = createReleasePorts({ client });
  const server = createApprovalsServer({ port: approvalsPort, publicUrl, secret: SECRET, store: opened.approvalsStore, decide: ports, readRelease: ports });
  const { url: approvalsUrl } = await server.start();
  const taskQueue = 'bench-approval';
  const { worker, connection: workerConnection } = await createWorker({ address: temporal.address, namespace: 'default', taskQueue, activities: createActivities(opened.deps), shutdownGraceTime: '1s' });
  const running = worker.run();
  return {
    client, taskQueue, dataDir, approvalsUrl, opened,
    async close() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await server.stop();
      await connection.close();
      await gateway.stop();
      await mail.stop();
      opened.close();
      await temporal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
