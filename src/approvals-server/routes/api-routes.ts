/**
 * JSON API for the CLI and scripts. Identity comes from `Authorization: Bearer <api token>`,
 * never from the body, so nobody can decide in someone else's name.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatIssues } from '../../domain/errors';
import { GateNameSchema } from '../../domain/spec';
import { HttpError, statusForRefusal } from '../http-error';
import type { ServerDeps } from '../server-deps';
import { DecisionValue } from '../../domain/approval/decision';

const DecisionBodySchema = z.object({
  decision: z.enum(DecisionValue, { message: 'expected "approve" or "reject"' }),
  comment: z.string().max(2000, 'keep the comment under 2000 characters').default(''),
}).strict();

const ReleaseIdSchema = z.string().min(1).max(200);

function authenticate(deps: ServerDeps, req: FastifyRequest): string {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, 'unauthorized', 'Send "Authorization: Bearer <api token>"; create a token with `mlgate token create <email>`.');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const user = m ? deps.store.apiTokens.authenticate(m[1]) : null;
  if (!user) throw new HttpError(401, 'unauthorized', 'The API token is unknown or revoked.');
  return user;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'INVALID', formatIssues(r.error.issues, prefix).join('; '));
  return r.data;
}

export function registerApiRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { id: string } }>('/api/releases/:id', async (req) => {
    authenticate(deps, req);
    const release = await deps.readRelease.get(parse(ReleaseIdSchema, req.params.id, 'releaseId'));
    if (!release) throw new HttpError(404, 'not_found', `release ${req.params.id} not found`);
    return release;
  });

  app.get('/api/pending', async (req) => {
    const user = authenticate(deps, req);
    return { approver: user, pending: await deps.readRelease.listPending(user) };
  });

  app.post<{ Params: { id: string; gate: string } }>('/api/releases/:id/gates/:gate/decisions', async (req, reply) => {
    const approver = authenticate(deps, req);
    const releaseId = parse(ReleaseIdSchema, req.params.id, 'releaseId');
    const gate = parse(GateNameSchema, req.params.gate, 'gate');
    const body = parse(DecisionBodySchema, req.body ?? {}, 'body');
    const release = await deps.readRelease.get(releaseId);
    if (!release) throw new HttpError(404, 'not_found', `release ${releaseId} not found`);
    const result = await deps.decide.decide({ releaseId, runId: release.runId, gate, approver, decision: body.decision, comment: body.comment, channel: 'api' });
    if (!result.accepted) {
      deps.logRefusal({ releaseId, runId: release.runId, gate, approver, channel: 'api', code: result.code, reason: result.reason });
      throw new HttpError(statusForRefusal(result.code), result.code, result.reason);
    }
    return reply.code(200).send({ accepted: true, releaseId, gate, approver, decision: body.decision, gateStatus: result.gateStatus });
  });
}
