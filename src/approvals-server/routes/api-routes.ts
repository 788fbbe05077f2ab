/**
 * JSON API for the CLI and scripts. Identity comes from `Authorization: Bearer <api token>`,
 * never from the body, so nobody can decide in someone else's name.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GateNameSchema } from '../../domain/spec';
import { ERROR_RESPONSES, type HttpApp } from '../../http/http-app';
import { ErrorCode, HttpError } from '../../http/http-error';
import { statusForRefusal } from '../refusal-status';
import { PendingGateSchema, ReleaseViewSchema } from '../../domain/approval/views';
import type { ServerDeps } from '../server-deps';
import { DecisionValue } from '../../domain/approval/decision';
import { GateStatusSchema } from '../../domain/approval/gate-state';
import type { ConsolePorts } from '../../ports/console';
import { cancelRelease, rollBackModel } from '../operations';

const DecisionBodySchema = z.object({
  decision: z.enum(DecisionValue, { message: 'expected "approve" or "reject"' }),
  comment: z.string().max(2000, 'keep the comment under 2000 characters').default(''),
}).strict();

const ReleaseIdSchema = z.string().min(1).max(200);
const DecisionAcceptedSchema = z.object({
  accepted: z.literal(true), releaseId: z.string(), gate: GateNameSchema, approver: z.string(), decision: z.enum(DecisionValue), gateStatus: GateStatusSchema,
});

async function authenticate(deps: ServerDeps, req: FastifyRequest): Promise<string> {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, ErrorCode.UNAUTHORIZED, 'Send "Authorization: Bearer <api token>"; create a token with `mlgate token create <email>`.');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const user = m ? await deps.store.apiTokens.authenticate(m[1]) : null;
  if (!user) throw new HttpError(401, ErrorCode.UNAUTHORIZED, 'The API token is unknown or revoked.');
  return user;
}

const ReleaseParams = z.object({ id: ReleaseIdSchema });
const DecisionParams = z.object({ id: ReleaseIdSchema, gate: GateNameSchema });
const SECURITY = [{ bearer: [] }];

const RollbackBodySchema = z.object({ reason: z.string().trim().min(1, 'say why (it goes into the audit trail)').max(500, 'keep the reason under 500 characters') }).strict();
const ModelParams = z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/i, 'expected a model id such as credit-risk') });

/**
 * Cancel and roll back as the token's owner, under the same rule as the console (the model's owner
 * and approvers): `mlgate cancel` and `mlgate rollback` use these when MLGATE_API_TOKEN is set.
 */
export function registerOperationRoutes(app: HttpApp, deps: ServerDeps, ports: ConsolePorts): void {
  app.post('/api/releases/:id/cancel', {
    schema: { summary: 'Cancel a release as the token\'s owner (the model\'s owner and approvers only); its rollback runs by itself', tags: ['operations'], security: SECURITY, params: ReleaseParams, response: { 200: z.object({ releaseId: z.string(), cancelRequestedBy: z.string() }), ...ERROR_RESPONSES } },
  }, async (req) => {
    const who = await authenticate(deps, req);
    await cancelRelease(ports, who, req.params.id);
    return { releaseId: req.params.id, cancelRequestedBy: who };
  });

  app.post('/api/models/:model/rollback', {
    schema: {
      summary: 'Roll a model back to its previous version as the token\'s owner (the model\'s owner and approvers only)', tags: ['operations'], security: SECURITY,
      params: ModelParams, body: RollbackBodySchema, response: { 200: z.object({ model: z.string(), rollbackId: z.string(), to: z.string(), requestedBy: z.string() }), ...ERROR_RESPONSES },
    },
  }, async (req) => {
    const who = await authenticate(deps, req);
    const r = await rollBackModel(ports, who, req.params.model, req.body.reason);
    return { model: req.params.model, rollbackId: r.workflowId, to: r.to, requestedBy: who };
  });
}

export function registerApiRoutes(app: HttpApp, deps: ServerDeps): void {
  app.get('/api/releases/:id', {
    schema: { summary: 'A release: its gates, evidence and decisions', tags: ['releases'], security: SECURITY, params: ReleaseParams, response: { 200: ReleaseViewSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    await authenticate(deps, req);
    const release = await deps.readRelease.get(req.params.id);
    if (!release) throw new HttpError(404, ErrorCode.NOT_FOUND, `release ${req.params.id} not found`);
    return release;
  });

  app.get('/api/pending', {
    schema: { summary: 'Open gates waiting for the caller\'s decision', tags: ['releases'], security: SECURITY, response: { 200: z.object({ approver: z.string(), pending: z.array(PendingGateSchema) }), ...ERROR_RESPONSES } },
  }, async (req) => {
    const user = await authenticate(deps, req);
    return { approver: user, pending: await deps.readRelease.listPending(user) };
  });

  app.post('/api/releases/:id/gates/:gate/decisions', {
    schema: {
      summary: 'Approve or reject a gate as the token\'s owner; refusals (e.g. SELF_APPROVAL) are audited', tags: ['decisions'], security: SECURITY,
      params: DecisionParams, body: DecisionBodySchema, response: { 200: DecisionAcceptedSchema, ...ERROR_RESPONSES },
    },
  }, async (req) => {
    const approver = await authenticate(deps, req);
    const { id: releaseId, gate } = req.params;
    const body = req.body;
    const release = await deps.readRelease.get(releaseId);
    if (!release) throw new HttpError(404, ErrorCode.NOT_FOUND, `release ${releaseId} not found`);
    const result = await deps.decide.decide({ releaseId, runId: release.runId, gate, approver, decision: body.decision, comment: body.comment, channel: 'api' });
    if (!result.accepted) {
      await deps.logRefusal({ releaseId, runId: release.runId, gate, approver, channel: 'api', code: result.code, reason: result.reason });
      throw new HttpError(statusForRefusal(result.code), result.code, result.reason);
    }
    return { accepted: true as const, releaseId, gate, approver, decision: body.decision, gateStatus: result.gateStatus };
  });
}
