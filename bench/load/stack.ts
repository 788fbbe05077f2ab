/**
 * The embedded mlgate under load: its own Temporal dev server persisting to a SQLite file (the
 * `mlgate dev` default), the real gateway and SMTP catcher, SQLite stores, and ONE worker.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivities } from '../../src/activities';
import { createFsArtifactStore } from '../../src/adapters/artifact-store/fs';
import { createGateway } from '../../src/gateway';
import { createMailCatcher } from '../../src/mail/catcher';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { openActivityDeps, type OpenedActivityDeps } from '../../src/workers/activity-deps';
import { createWorker } from '../../src/workers/worker';

export interface LoadStack {
  client: Client;
  taskQueue: string;
  dataDir: string;
  opened: OpenedActivityDeps;
  /** pid of the Temporal server process, to sample its memory too. */
  temporalPid: number | undefined;
  close(): Promise<void>;
}

export async function startLoadStack(): Promise<LoadStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = await mkdtemp(join(tmpdir(), 'mlgate-bench-load-'));
  const temporal = await startDevServer({ port: await freePort(), headless: true, dbFile: join(dataDir, 'temporal.sqlite'), startTimeoutMs: 180_000 });
  const token = randomBytes(16).toString('hex');
  const artifacts = createFsArtifactStore({ root: join(dataDir, 'artifacts') });
  const gateway = createGateway({ adminToken: token, stateDir: join(dataDir, 'gateway'), loadBundle: (id) => artifacts.get(id) });
  const { adminUrl } = await gateway.start();
  const mail = createMailCatcher({ host: '127.0.0.1' });
  const { smtpPort } = await mail.start();
  const opened = openActivityDeps({
    dataDir, piiSalt: randomBytes(16).toString('hex'), approvalSecret: randomBytes(32).toString('hex'), publicUrl: 'http://127.0.0.1:9',
    gatewayAdminUrl: adminUrl, adminToken: token, smtp: { host: '127.0.0.1', port: smtpPort, from: 'mlgate <mlgate@bench>' },
  });
  const taskQueue = 'bench-load';
  const { worker, connection: workerConnection } = await createWorker({ address: temporal.address, namespace: 'default', taskQueue, activities: createActivities(opened.deps) });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  return {
    client: new Client({ connection, namespace: 'default' }),
    taskQueue, dataDir, opened, temporalPid: temporal.process.pid,
    async close() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      await gateway.stop();
      await mail.stop();
      opened.close();
      await temporal.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
