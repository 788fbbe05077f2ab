/**
 * Signed-link routes. GET shows the evidence and never decides (mail scanners and link
 * previews follow GETs); POST decides. The token in the URL is the credential, so it also
 * stands in for a CSRF token. A link is marked used only after its decision was accepted.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { isDecidable, type GateState } from '../../domain/approval/gate-state';
import { sameIdentity } from '../../domain/approval/policy';
import type { ReleaseView } from '../../domain/approval/views';
import { verifyApprovalToken, type ApprovalTokenPayload } from '../../approval-links/approval-token';
import type { HttpApp } from '../../http/http-app';
import { ErrorCode, HttpError } from '../../http/http-error';
import { statusForRefusal } from '../refusal-status';
import type { ServerDeps } from '../server-deps';
import { renderEvidencePage } from '../views/evidence-page';
import { renderMessagePage } from '../views/layout';
import { DecisionValue } from '../../domain/approval/decision';

const FormSchema = z.object({
  action: z.enum(DecisionValue, { message: 'choose approve or reject' }),
  comment: z.string().max(2000, 'keep it under 2000 characters').default(''),
}, 'send the form of the evidence page: action=approve or action=reject');

const TOKEN_ERRORS = {
  malformed: new HttpError(400, 'LINK_MALFORMED', 'This approval link is malformed. Copy the whole link from the email, or ask for a new one.'),
  bad_signature: new HttpError(403, 'LINK_BAD_SIGNATURE', 'This approval link was not issued by this mlgate server (its signature does not match).'),
  expired: new HttpError(410, 'LINK_EXPIRED', 'This approval link has expired. Ask for a new one, or decide with `mlgate approve` or the API.'),
} as const;

type Resolved = { payload: ApprovalTokenPayload; release: ReleaseView; gate: GateState };

async function resolveLink(deps: ServerDeps, token: string): Promise<Resolved> {
  const v = verifyApprovalToken(token, deps.secret, deps.now());
  if (!v.ok) throw TOKEN_ERRORS[v.error];
  const p = v.payload;
  if (await deps.store.usedTokens.isUsed(p.nonce)) throw new HttpError(409, 'LINK_USED', 'This approval link has already been used. Each link decides once.');
  const release = await deps.readRelease.get(p.releaseId);
  if (!release) throw new HttpError(404, ErrorCode.NOT_FOUND, `Release ${p.releaseId} does not exist (any more).`);
  if (release.runId !== p.runId) throw new HttpError(409, 'RELEASE_MOVED_ON', `This link belongs to an earlier run of ${p.releaseId}; the release was restarted. Use the link from the newest email.`);
  const gate = release.gates.find((g) => g.gate === p.gate);
  if (!gate || !isDecidable(gate)) throw new HttpError(409, 'GATE_NOT_OPEN', `The ${p.gate} gate of ${p.releaseId} is ${gate?.status ?? 'missing'}, not open for decisions.`);
  if (!gate.approvers.some((a) => sameIdentity(a, p.approver))) throw new HttpError(403, 'NOT_ALLOWED', `${p.approver} is not an approver of the ${p.gate} gate of ${p.releaseId}.`);
  if (gate.decisions.some((d) => sameIdentity(d.approver, p.approver))) throw new HttpError(409, 'ALREADY_VOTED', `${p.approver} has already decided on the ${p.gate} gate.`);
  return { payload: p, release, gate };
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

export function sendLinkError(reply: FastifyReply, err: HttpError): FastifyReply {
  return sendPage(reply, err.status, renderMessagePage({ title: `Approval link refused (${err.code})`, message: err.message, kind: 'error' }));
}

const TokenParams = z.object({ token: z.string().min(1).describe('The signed approval token from the email') });
const PAGE = { 200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } }, '4XX': { description: 'The refusal as an HTML page', content: { 'text/html': { schema: z.string() } } } };

export function registerLinkRoutes(app: HttpApp, deps: ServerDeps): void {
  app.get('/approve/:token', {
    schema: { summary: 'The evidence page behind an emailed link; never decides (mail scanners prefetch links)', tags: ['links'], params: TokenParams, response: PAGE },
  }, async (req, reply) => {
    const { release, payload } = await resolveLink(deps, req.params.token);
    const formAction = `/approve/${encodeURIComponent(req.params.token)}`;
    return sendPage(reply, 200, renderEvidencePage({ release, gate: payload.gate, approver: payload.approver, formAction }));
  });

  app.post('/approve/:token', {
    schema: { summary: 'Decide with the emailed link (form post from the evidence page); each link decides once', tags: ['links'], consumes: ['application/x-www-form-urlencoded'], params: TokenParams, body: FormSchema, response: PAGE },
  }, async (req, reply) => {
    const form = { data: req.body };
    const v = verifyApprovalToken(req.params.token, deps.secret, deps.now());
    let resolved: Resolved;
    try {
      resolved = await resolveLink(deps, req.params.token);
    } catch (err) {
      // Auditors want refused attempts; a verified payload tells us who tried.
      if (v.ok && err instanceof HttpError) await deps.logRefusal({ ...v.payload, channel: 'email', code: err.code, reason: err.message });
      throw err;
    }
    const p = resolved.payload;
    const result = await deps.decide.decide({ releaseId: p.releaseId, runId: p.runId, gate: p.gate, approver: p.approver, decision: form.data.action, comment: form.data.comment, channel: 'email' });
    if (!result.accepted) {
      await deps.logRefusal({ ...p, channel: 'email', code: result.code, reason: result.reason });
      throw new HttpError(statusForRefusal(result.code), result.code, result.reason);
    }
    await deps.store.usedTokens.markUsed(p, deps.now());
    const message = `Recorded: ${p.approver} ${form.data.action === 'approve' ? 'approved' : 'rejected'} the ${p.gate} gate of ${p.releaseId}. The gate is now ${result.gateStatus}.`;
    return sendPage(reply, 200, renderMessagePage({ title: 'Decision recorded', message, kind: 'ok' }));
  });
}
