/**
 * The release test environment plus an approvals server with the console, wired to the same
 * Temporal, registry and gateway as the worker. Releases start through the real starter, so they
 * carry their search attributes and `release-<model>-<n>` ids, as from the CLI.
 */
import { startRelease } from '../../../src/adapters/release-starter/temporal';
import { createReleasePorts } from '../../../src/adapters/decisions/temporal';
import { createGatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import { createReviewClient } from '../../../src/adapters/gateway/review-client';
import { createApprovalsServer, type ApprovalsServer } from '../../../src/approvals-server/approvals-server';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import type { Routing } from '../../../src/domain/routing';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { freePort } from '../../../src/temporal/free-port';
import { createConsolePorts } from '../../../src/workers/console-ports';
import { statusQuery } from '../../../src/workflows/messages';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, SECRET, waitForStage, type ReleaseEnv } from '../../helpers/release-env';

export interface ConsoleEnv extends ReleaseEnv {
  url: string;
  server: ApprovalsServer;
  start(spec: ReturnType<typeof creditSpec>): Promise<string>;
  status(releaseId: string): Promise<ReleaseStatus>;
  waitStatus(releaseId: string, pred: (s: ReleaseStatus) => boolean, timeoutMs?: number): Promise<ReleaseStatus>;
  routing(model: string): Promise<Routing | null>;
  token(user: string): Promise<string>;
}

/** `spec(model)`: what a release started from the console uses (the test's stand-in for MLGATE_MODELS_DIR). */
export async function openConsoleEnv(o: { devUsers?: string[]; spec?: (model: string) => ReturnType<typeof creditSpec> | null } = {}): Promise<ConsoleEnv> {
  const port = await freePort();
  const env = await openReleaseEnv({ publicUrl: `http://127.0.0.1:${port}` });
  const gateway = createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN });
  const store = env.opened.approvalsStore;
  const ports = createReleasePorts({ client: env.client });
  const loadSpec = (model: string) => {
    const spec = o.spec?.(model);
    return spec ? { spec: ModelSpecSchema.parse(spec), dir: env.dataDir } : null;
  };
  const consolePorts = createConsolePorts({ client: env.client, taskQueue: env.taskQueue, registry: env.opened.deps.pipeline.registry, gateway, review: createReviewClient({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }), store, loadSpec, codeVersion: 'test' });
  const consoleOptions = { ports: consolePorts, liveIntervalMs: 300, ...(o.devUsers ? { devUsers: o.devUsers } : {}) };
  const server = createApprovalsServer({ port, secret: SECRET, store, decide: ports, readRelease: ports, console: consoleOptions });
  const { url } = await server.start();
  const status = async (id: string) => env.client.workflow.getHandle(id).query(statusQuery);
  return {
    ...env,
    url,
    server,
    async start(spec) {
      const handle = await startRelease({ client: env.client, taskQueue: env.taskQueue, input: { spec: ModelSpecSchema.parse(spec), specDir: env.dataDir, requester: 'carol@example.com', codeVersion: 'test', lockWait: '20s' } });
      return handle.workflowId;
    },
    status,
    waitStatus: (id, pred, timeoutMs = 60_000) => waitForStage(() => status(id), pred, timeoutMs),
    routing: (model) => gateway.getRouting(model),
    token: (user) => store.apiTokens.create(user),
    async close() {
      await server.stop();
      await env.close();
    },
  };
}
