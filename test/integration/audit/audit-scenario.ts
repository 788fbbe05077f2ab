/**
 * Real releases for the audit tests, on one embedded mlgate (real Temporal, gateway, SMTP, SQLite,
 * approvals server over HTTP): approved and promoted, rejected at the deploy gate, rolled back
 * automatically by an injected error fault during the canary, and rolled back by hand.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { createGatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import { createReleasePorts } from '../../../src/adapters/decisions/temporal';
import { startRelease } from '../../../src/adapters/release-starter/temporal';
import type { ReleaseResult } from '../../../src/domain/release';
import { ModelSpecSchema, type ModelSpecInput } from '../../../src/domain/spec';
import { createApprovalsServer, type ApprovalsServer } from '../../../src/approvals-server/approvals-server';
import { decisionSignal, statusQuery } from '../../../src/workflows/messages';
import { releaseWorkflow } from '../../../src/workflows/release';
import { rollbackWorkflow } from '../../../src/workflows/rollback';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, SECRET, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';

export interface AuditScenario {
  env: ReleaseEnv;
  modelA: string;
  modelB: string;
  approved: { id: string; result: ReleaseResult };
  rejected: { id: string; result: ReleaseResult };
  autoRolledBack: { id: string; result: ReleaseResult };
  manual: { id: string; to: string };
  close(): Promise<void>;
}

type Api = (releaseId: string, gate: string, user: string, decision: 'approve' | 'reject', comment: string) => Promise<Response>;

async function startApprovals(env: ReleaseEnv): Promise<{ server: ApprovalsServer; api: Api }> {
  const ports = createReleasePorts({ client: env.client });
  const server = createApprovalsServer({ secret: SECRET, store: env.opened.approvalsStore, decide: ports, readRelease: ports });
  const { url } = await server.start();
  const tokens = new Map(await Promise.all(['alice@example.com', 'bob@example.com', 'carol@example.com'].map(async (u) => [u, await env.opened.approvalsStore.apiTokens.create(u)] as const)));
  const api: Api = (releaseId, gate, user, decision, comment) =>
    fetch(`${url}/api/releases/${releaseId}/gates/${gate}/decisions`, {
      method: 'POST', headers: { authorization: `Bearer ${tokens.get(user)}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision, comment }),
    });
  return { server, api };
}

/** Starts `release-<model>-<n>` the way `mlgate release` does: with the model, risk and reason search attributes. */
function start(env: ReleaseEnv, spec: ModelSpecInput): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  const input = { spec: ModelSpecSchema.parse(spec), specDir: env.dataDir, requester: 'carol@example.com', codeVersion: 'git-abc123', lockWait: '20s', reason: 'drift' as const, reasonDetail: 'psi 0.31 on income' };
  return startRelease({ client: env.client, taskQueue: env.taskQueue, input });
}

const stageIs = (h: WorkflowHandle, ...stages: string[]) => waitForStage(() => h.query(statusQuery), (s) => stages.includes(s.stage), 120_000);

async function approvedRelease(env: ReleaseEnv, api: Api, model: string) {
  const h = await start(env, creditSpec(model));
  await stageIs(h, 'awaiting_deploy_approval');
  const refused = await api(h.workflowId, 'deploy', 'carol@example.com', 'approve', 'my own release');
  if (refused.status < 400) throw new Error('the requester was allowed to approve their own release');
  await h.signal(decisionSignal, { gate: 'deploy', approver: 'mallory@example.com', decision: 'approve', comment: 'let me in' });
  await env.decide(h, 'deploy', 'alice@example.com');
  const traffic = env.flowingTraffic(model);
  await stageIs(h, 'awaiting_promote_approval', 'done');
  const ok = await api(h.workflowId, 'promote', 'bob@example.com', 'approve', 'canary curves are flat');
  if (ok.status !== 200) throw new Error(`promote approval failed: ${await ok.text()}`);
  const result = await h.result();
  await traffic.stop();
  return { id: h.workflowId, result };
}

async function rejectedRelease(env: ReleaseEnv, api: Api, model: string) {
  // Its own seed: an identical artifact trained concurrently for the other model would race on the shared artifact folder.
  const h = await start(env, creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 80, learningRate: 0.2 }, seed: 5 } }));
  await stageIs(h, 'awaiting_deploy_approval');
  const r = await api(h.workflowId, 'deploy', 'bob@example.com', 'reject', 'slice gap on region=north is too wide');
  if (r.status !== 200) throw new Error(`reject failed: ${await r.text()}`);
  return { id: h.workflowId, result: await h.result() };
}

async function faultyRelease(env: ReleaseEnv, model: string) {
  const h = await start(env, creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 60, learningRate: 0.2 }, seed: 11 } }));
  await stageIs(h, 'awaiting_deploy_approval');
  await env.decide(h, 'deploy', 'alice@example.com');
  const st = await stageIs(h, 'rollout');
  await createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN }).injectFault({ model, version: st.artifactId!, errorRate: 1 });
  const traffic = env.flowingTraffic(model);
  const result = await h.result();
  await traffic.stop();
  return { id: h.workflowId, result };
}

export async function runAuditScenario(): Promise<AuditScenario> {
  const env = await openReleaseEnv();
  const { server, api } = await startApprovals(env);
  const modelA = unique('audita');
  const modelB = unique('auditb');
  const [approved, rejected] = await Promise.all([approvedRelease(env, api, modelA), rejectedRelease(env, api, modelB)]);
  const autoRolledBack = await faultyRelease(env, modelA);
  const to = autoRolledBack.result.artifactId!;
  const manualId = unique(`rollback-${modelA}`);
  await env.client.workflow.execute(rollbackWorkflow, { taskQueue: env.taskQueue, workflowId: manualId, args: [{ model: modelA, toArtifact: to, requester: 'dave@example.com', reason: 'drill: serve the retrained model' }] });
  return {
    env, modelA, modelB, approved, rejected, autoRolledBack, manual: { id: manualId, to },
    async close() {
      await server.stop();
      await env.close();
    },
  };
}
