/**
 * Start, cancel, roll back and label a queued prediction, as the console and the JSON API do them: the rule of who may act
 * (`domain/approval/who-may-act.ts`) is checked here, once, before anything starts.
 */
import { mayOperate, operatorsOf, type Operators } from '../domain/approval/who-may-act';
import { ErrorCode, HttpError } from '../http/http-error';
import type { ConsolePorts, ModelPage } from '../ports/console';

/**
 * Who may operate a model: the owner and approvers its spec names, when this server has the spec;
 * otherwise those of its newest release (whose gates leave out that release's requester).
 */
export function modelOperators(m: ModelPage): Operators {
  return m.starters ?? (m.latest ? operatorsOf(m.latest) : { approvers: [] });
}

export async function cancelRelease(ports: ConsolePorts, who: string, releaseId: string): Promise<void> {
  const s = await ports.status(releaseId);
  if (!s) throw new HttpError(404, ErrorCode.NOT_FOUND, `release ${releaseId} not found`);
  const check = mayOperate(who, operatorsOf(s), 'cancel');
  if (!check.ok) throw new HttpError(403, ErrorCode.FORBIDDEN, `You may not cancel ${s.releaseId}: ${check.why}.`);
  if (s.outcome) throw new HttpError(409, ErrorCode.CONFLICT, `${s.releaseId} has already ended (${s.outcome}).`);
  await ports.cancel({ releaseId: s.releaseId, who });
}

export async function rollBackModel(ports: ConsolePorts, who: string, model: string, reason: string): Promise<{ workflowId: string; to: string }> {
  const m = await ports.model(model);
  const check = mayOperate(who, modelOperators(m), 'rollback');
  if (!check.ok) throw new HttpError(403, ErrorCode.FORBIDDEN, `You may not roll back ${m.model}: ${check.why}.`);
  if (!m.aliases.previous) throw new HttpError(409, ErrorCode.CONFLICT, `${m.model} has no previous version to roll back to.`);
  const { workflowId } = await ports.rollback({ model: m.model, who, reason });
  return { workflowId, to: m.aliases.previous };
}

export async function startModelRelease(ports: ConsolePorts, who: string, model: string, detail: string): Promise<{ releaseId: string }> {
  const m = await ports.model(model);
  if (!m.starters) throw new HttpError(404, ErrorCode.NOT_FOUND, `no spec for ${model} on this server (MLGATE_MODELS_DIR); start it with \`mlgate release <spec file>\``);
  const check = mayOperate(who, m.starters, 'start');
  if (!check.ok) throw new HttpError(403, ErrorCode.FORBIDDEN, `You may not start a release of ${m.model}: ${check.why}.`);
  return ports.startRelease({ model: m.model, who, detail });
}

/** Labels a queued prediction as `who` through the gateway's review API, if `who` may act on the model. */
export async function labelPrediction(ports: ConsolePorts, who: string, o: { model: string; predictionId: string; label: string }): Promise<void> {
  const m = await ports.model(o.model);
  const check = mayOperate(who, modelOperators(m), 'review');
  if (!check.ok) throw new HttpError(403, ErrorCode.FORBIDDEN, `You may not label predictions of ${m.model}: ${check.why}.`);
  const item = await ports.labelPrediction({ model: m.model, predictionId: o.predictionId, label: o.label, who });
  if (!item) throw new HttpError(404, ErrorCode.NOT_FOUND, `prediction ${o.predictionId} is not in the review queue of ${m.model} (labelled meanwhile?)`);
}
