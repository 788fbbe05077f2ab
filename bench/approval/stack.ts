/**
 * Everything the approval benchmark runs against: the shared bench stack (real Temporal dev
 * server, worker, gateway, SMTP catcher) plus the approvals server wired to the Temporal ports.
 */
import { randomBytes } from 'node:crypto';
import { createReleasePorts } from '../../src/adapters/decisions/temporal';
import { createApprovalsServer } from '../../src/approvals-server/approvals-server';
import { freePort } from '../../src/temporal/free-port';
import { startBenchStack, type BenchStack as SharedStack } from '../shared/stack';

export type BenchStack = Pick<SharedStack, 'client' | 'taskQueue' | 'dataDir' | 'opened' | 'close'> & { approvalsUrl: string };

export async function openBenchStack(): Promise<BenchStack> {
  const secret = randomBytes(32).toString('hex');
  const approvalsPort = await freePort();
  const publicUrl = `http://127.0.0.1:${approvalsPort}`;
  const stack = await startBenchStack({ name: 'approval', publicUrl, approvalSecret: secret });
  const ports = createReleasePorts({ client: stack.client });
  const server = createApprovalsServer({ port: approvalsPort, publicUrl, secret, store: stack.opened.approvalsStore, decide: ports, readRelease: ports });
  const { url: approvalsUrl } = await server.start();
  return {
    ...stack,
    approvalsUrl,
    async close() {
      await server.stop();
      await stack.close();
    },
  };
}
