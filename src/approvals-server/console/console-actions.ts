/**
 * The console's actions, each a form post with the session and its CSRF token, each through the
 * same path as the API and the CLI: decisions go through the release's Update validator (channel
 * `console`, refusals logged); cancel and rollback follow the rule of who may act
 * (`domain/approval/who-may-act.ts`) and run under the person's identity.
 */
import { z } from 'zod';
import { DecisionValue } from '../../domain/approval/decision';
import { GateNameSchema } from '../../domain/spec';
import type { HttpApp } from '../../http/http-app';
import { ErrorCode, HttpError } from '../../http/http-error';
import type { ConsolePorts } from '../../ports/console';
import { statusForRefusal } from '../refusal-status';
import type { ServerDeps } from '../server-deps';
import { cancelRelease, labelPrediction, rollBackModel, startModelRelease } from '../operations';
import type { ConsoleAuth } from './console-auth';
import { ModelParams, ReleaseParams } from './console-params';

export const DONE_NOTICES = {
  approved: 'Recorded: you approved the gate.',
  rejected: 'Recorded: you rejected the gate.',
  cancelled: 'Cancellation requested; whatever the release deployed is rolled back by itself.',
  rollback: 'Rollback started: the previous version is being restored in the gateway and the registry.',
  started: 'Release started.',
  labelled: 'Recorded: you labelled the prediction; it goes back to the gateway as feedback.',
} as const;
export const DoneSchema = z.enum(Object.keys(DONE_NOTICES) as [keyof typeof DONE_NOTICES, ...Array<keyof typeof DONE_NOTICES>]);

const CSRF = z.string().describe('The CSRF token of the form');
const DecisionForm = z.object({
  _csrf: CSRF,
  decision: z.enum(DecisionValue, { message: 'choose approve or reject' }),
  comment: z.string().max(2000, 'keep the comment under 2000 characters').default(''),
});
const RollbackForm = z.object({ _csrf: CSRF, reason: z.string().trim().min(1, 'say why (it goes into the audit trail)').max(500, 'keep the reason under 500 characters') });
const StartForm = z.object({ _csrf: CSRF, detail: z.string().trim().max(500, 'keep the note under 500 characters').default('') });
const ReviewLabelForm = z.object({
  _csrf: CSRF,
  predictionId: z.string().trim().min(1, 'choose a prediction from the review queue').max(200, 'expected a prediction id from the review queue'),
  label: z.string().trim().min(1, 'give the observed outcome, e.g. 1').max(100, 'keep the label under 100 characters'),
});
const FORM = ['application/x-www-form-urlencoded'];
const TAGS = ['console'];

export function registerConsoleActions(app: HttpApp, deps: ServerDeps, ports: ConsolePorts, auth: ConsoleAuth): void {
  app.post('/releases/:id/gates/:gate/decisions', {
    schema: { summary: 'Console: approve or reject a gate as the signed-in person (the Update validator decides; refusals are audited)', tags: TAGS, consumes: FORM, params: ReleaseParams.extend({ gate: GateNameSchema }), body: DecisionForm },
    preValidation: auth.action,
  }, async (req, reply) => {
    const { user } = auth.viewer(req, reply);
    const { id: releaseId, gate } = req.params;
    const release = await deps.readRelease.get(releaseId);
    if (!release) throw new HttpError(404, ErrorCode.NOT_FOUND, `release ${releaseId} not found`);
    const result = await deps.decide.decide({ releaseId, runId: release.runId, gate, approver: user, decision: req.body.decision, comment: req.body.comment, channel: 'console' });
    if (!result.accepted) {
      await deps.logRefusal({ releaseId, runId: release.runId, gate, approver: user, channel: 'console', code: result.code, reason: result.reason });
      throw new HttpError(statusForRefusal(result.code), result.code, result.reason);
    }
    return reply.redirect(`/releases/${encodeURIComponent(releaseId)}?done=${req.body.decision === 'approve' ? 'approved' : 'rejected'}`, 303);
  });

  app.post('/releases/:id/cancel', {
    schema: { summary: 'Console: cancel a release (its owner and approvers only); its rollback runs by itself', tags: TAGS, consumes: FORM, params: ReleaseParams, body: z.object({ _csrf: CSRF }) },
    preValidation: auth.action,
  }, async (req, reply) => {
    await cancelRelease(ports, auth.viewer(req, reply).user, req.params.id);
    return reply.redirect(`/releases/${encodeURIComponent(req.params.id)}?done=cancelled`, 303);
  });

  app.post('/models/:model/releases', {
    schema: { summary: 'Console: start a release of a model from its spec (its owner and approvers only)', tags: TAGS, consumes: FORM, params: ModelParams, body: StartForm },
    preValidation: auth.action,
  }, async (req, reply) => {
    const { releaseId } = await startModelRelease(ports, auth.viewer(req, reply).user, req.params.model, req.body.detail);
    return reply.redirect(`/releases/${encodeURIComponent(releaseId)}?done=started`, 303);
  });

  app.post('/models/:model/rollback', {
    schema: { summary: 'Console: roll a model back to its previous version (its owner and approvers only), with a reason', tags: TAGS, consumes: FORM, params: ModelParams, body: RollbackForm },
    preValidation: auth.action,
  }, async (req, reply) => {
    await rollBackModel(ports, auth.viewer(req, reply).user, req.params.model, req.body.reason);
    return reply.redirect(`/models/${encodeURIComponent(req.params.model)}?done=rollback`, 303);
  });

  app.post('/models/:model/review', {
    schema: { summary: 'Console: label a queued low-confidence prediction through the gateway\'s review API, as the signed-in person (its owner and approvers only)', tags: TAGS, consumes: FORM, params: ModelParams, body: ReviewLabelForm },
    preValidation: auth.action,
  }, async (req, reply) => {
    await labelPrediction(ports, auth.viewer(req, reply).user, { model: req.params.model, predictionId: req.body.predictionId, label: req.body.label });
    return reply.redirect(`/models/${encodeURIComponent(req.params.model)}?done=labelled#review`, 303);
  });
}
