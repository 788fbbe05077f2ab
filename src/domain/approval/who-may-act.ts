/**
 * Who may act on a release or a model besides deciding gates. The rule (README, "Who may act"):
 * starting, cancelling, rolling back and labelling queued predictions belong to the model's owner and
 * to the approvers its policy names on the release's gates. Deciding a gate follows the gate's own rules (the Update validator);
 * `mayDecide` only explains them to the viewer ahead of time. Pure.
 */
import { isDecidable, type GateState } from './gate-state';
import { sameIdentity } from './policy';
import { FINISHED_STAGES } from './validate-decision';

export type Operation = 'start' | 'cancel' | 'rollback' | 'review';

/** The people who may operate a model, as the newest release (or the spec) names them. */
export type Operators = { owner?: string; approvers: readonly string[] };

export type ActCheck = { ok: true; why: string } | { ok: false; why: string };

/** The owner plus every approver named on the release's gates. */
export function operatorsOf(release: { owner?: string; gates: readonly Pick<GateState, 'approvers'>[] }): Operators {
  return { ...(release.owner ? { owner: release.owner } : {}), approvers: [...new Set(release.gates.flatMap((g) => g.approvers))] };
}

const VERB: Record<Operation, string> = { start: 'start a release', cancel: 'cancel a release', rollback: 'roll back', review: 'label predictions' };

export function mayOperate(user: string, ops: Operators, op: Operation): ActCheck {
  const verb = VERB[op];
  if (ops.owner && sameIdentity(user, ops.owner)) return { ok: true, why: `you own this model, and owners may ${verb}` };
  if (ops.approvers.some((a) => sameIdentity(a, user))) return { ok: true, why: `you are an approver of this model, and approvers may ${verb}` };
  const who = [ops.owner ? `the owner (${ops.owner})` : null, ops.approvers.length ? `the approvers (${ops.approvers.join(', ')})` : null].filter(Boolean).join(' and ');
  return { ok: false, why: `only ${who || 'the owner and the approvers'} may ${verb}; you are ${user}` };
}

/** Why the viewer may or may not decide this gate now; mirrors validateDecision's order. */
export function mayDecide(user: string, gate: GateState, release: { requester: string; stage: string }): ActCheck {
  if (FINISHED_STAGES.includes(release.stage)) return { ok: false, why: `the release has finished (stage ${release.stage})` };
  if (!isDecidable(gate)) return { ok: false, why: `the ${gate.gate} gate is ${gate.status}, not open for decisions` };
  if (sameIdentity(user, release.requester)) return { ok: false, why: `you requested this release, and the policy forbids deciding on your own release` };
  if (!gate.approvers.some((a) => sameIdentity(a, user))) return { ok: false, why: `you are not an approver of the ${gate.gate} gate (approvers: ${gate.approvers.join(', ') || 'none'})` };
  if (gate.decisions.some((d) => sameIdentity(d.approver, user))) return { ok: false, why: `you have already decided on the ${gate.gate} gate` };
  return { ok: true, why: `you are an approver of the ${gate.gate} gate and have not decided yet` };
}
