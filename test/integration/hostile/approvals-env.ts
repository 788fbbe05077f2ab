/**
 * A real release environment with a real approvals server in front of the Temporal-backed ports
 * (the production wiring of `mlgate server`), for throwing hostile requests at it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { createReleasePorts } from '../../../src/client/release-ports';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import { createApprovalsServer } from '../../../src/server/approvals-server';
import { freePort } from '../../../src/temporal/free-port';
import { statusQuery } from '../../../src/workflows/messages';
import { openReleaseEnv, SECRET, type ReleaseEnv } from '../../helpers/release-env';

export { SECRET };

export interface ApprovalsEnv extends ReleaseEnv {
  approvalsUrl: string;
  status(handle: WorkflowHandle): Promise<ReleaseStatus>;
  /** What a hostile request must not change: the status the workflow reports and its history length. */
  fingerprint(handle: WorkflowHandle): Promise<{ status: ReleaseStatus; events: number }>;
}

export async function openApprovalsEnv(): Promise<ApprovalsEnv> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const env = await openReleaseEnv({ publicUrl });
  const ports = createReleasePorts({ client: env.client });
  const server = createApprovalsServer({ port, publicUrl, secret: SECRET, store: env.opened.approvalsStore, decide: ports, readRelease: ports });
  const { url } = await server.start();
  const status = (handle: WorkflowHandle) => handle.query(statusQuery);
  return {
    ...env,
    approvalsUrl: url,
    status,
    async fingerprint(handle) {
      const history = await handle.fetchHistory();
      return { status: await status(handle), events: history.events?.length ?? 0 };
    },
    async close() {
      await server.stop();
      await env.close();
    },
  };
}
