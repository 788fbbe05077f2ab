/**
 * The rules a decision must pass before it is recorded. The workflow's Update validator calls
 * this, so a refused decision never reaches history and the caller hears why at once.
 */
import { DecisionSchema, type Decision, type Validation } from './decision';
import { isDecidable, type GateState } from './gate-state';
import { sameIdentity, type ApprovalPolicy } from './policy';

export type DecisionContext = {
  requester: string;
  owner: string;
  policy: ApprovalPolicy;
  /** The current workflow run; a decision made for another run is refused. */
  runId?: string;
  /** When set to a stage past the gates (e.g. `rolled_back`, `promoted`), decisions are refused. */
  releaseStage?: string;
};

/** Stages after which no gate decision makes sense any more. */
export const FINISHED_STAGES: readonly string[] = ['promoted', 'rolled_back', 'rejected', 'failed', 'cancelled', 'completed'];

function refuse(code: Exclude<Validation, { ok: true }>['code'], reason: string): Validation {
  return { ok: false, code, reason };
}

export function validateDecision(state: GateState, decision: Decision, ctx: DecisionContext): Validation {
  const parsed = DecisionSchema.safeParse(decision);
  if (!parsed.success) return refuse('INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'decision'}: ${i.message}`).join('; '));
  const d = parsed.data;
  if (d.gate !== state.gate) return refuse('INVALID', `decision is for gate "${d.gate}" but this is the "${state.gate}" gate`);
  if (d.channel === 'auto') return refuse('INVALID', 'channel "auto" is reserved for the policy itself');
  if (ctx.runId && d.runId && d.runId !== ctx.runId) return refuse('RELEASE_MOVED_ON', `this decision was made for run ${d.runId}; the release now runs as ${ctx.runId}`);
  if (ctx.releaseStage && FINISHED_STAGES.includes(ctx.releaseStage)) return refuse('RELEASE_MOVED_ON', `the release has already finished (stage ${ctx.releaseStage})`);
  if (!isDecidable(state)) return refuse('GATE_NOT_OPEN', `the ${state.gate} gate is ${state.status}, not open for decisions`);
  if (d.channel === 'signal' && !ctx.policy.signalDecisions) return refuse('SIGNALS_DISABLED', 'this risk class does not accept signal decisions; use the CLI, the API or the emailed link');
  if (sameIdentity(d.approver, ctx.requester)) return refuse('SELF_APPROVAL', `${d.approver} requested this release and may not decide on it`);
  if (ctx.policy.separationOfDuties && sameIdentity(d.approver, ctx.owner)) return refuse('SELF_APPROVAL', `${d.approver} owns this model and separation of duties is on`);
  if (!state.approvers.some((a) => sameIdentity(a, d.approver))) return refuse('NOT_ALLOWED', `${d.approver} is not an approver of the ${state.gate} gate (approvers: ${state.approvers.join(', ') || 'none'})`);
  if (state.decisions.some((x) => sameIdentity(x.approver, d.approver))) return refuse('ALREADY_VOTED', `${d.approver} has already decided on the ${state.gate} gate`);
  return { ok: true };
}
