/**
 * The gate state machine. Every transition is a pure function from state (plus a caller-supplied
 * time) to a new state, so the workflow stays deterministic and the rules are unit-tested alone.
 *
 *   pending ──open──► open ──quorum──► approved
 *                      │  └──any reject──► rejected
 *                      └──timeout──► timed_out | escalated (open again, wider list) | held (no deadline)
 */
import { z } from 'zod';
import { GateNameSchema, type GateName } from '../spec';
import { DecisionSchema, RefusedAttemptSchema, type Decision, type RefusedAttempt } from './decision';
import { eligibleApprovers, sameIdentity, type ApprovalPolicy } from './policy';

export const GateStatus = {
  pending: 'pending',
  open: 'open',
  escalated: 'escalated',
  held: 'held',
  approved: 'approved',
  rejected: 'rejected',
  timed_out: 'timed_out',
  skipped: 'skipped',
} as const;
export type GateStatus = (typeof GateStatus)[keyof typeof GateStatus];
export const GateStatusSchema = z.enum(GateStatus);

/** Statuses in which the gate still accepts decisions. */
export const DECIDABLE: readonly GateStatus[] = ['open', 'escalated', 'held'];

export const GateStateSchema = z.object({
  gate: GateNameSchema,
  status: GateStatusSchema,
  /** Counts openings (1 on open, +1 per escalation): the idempotency key for approval emails. */
  opening: z.number().int().min(0),
  openedAt: z.string().optional(),
  /** When the current opening times out; absent while held or closed. */
  deadline: z.string().optional(),
  /** Who may decide now (requester, and owner under separation of duties, already removed). */
  approvers: z.array(z.string()),
  required: z.number().int().min(1),
  decisions: z.array(DecisionSchema),
  refused: z.array(RefusedAttemptSchema),
  escalated: z.boolean(),
  closedAt: z.string().optional(),
  closedReason: z.string().optional(),
});
export type GateState = z.infer<typeof GateStateSchema>;

export function isDecidable(state: GateState): boolean {
  return DECIDABLE.includes(state.status);
}

function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A gate before it opens: shown in status views so people see what is coming. */
export function pendingGate(policy: ApprovalPolicy, gate: GateName): GateState {
  const g = policy.gates[gate];
  return { gate, status: 'pending', opening: 0, approvers: g.approvers, required: g.required, decisions: [], refused: [], escalated: false };
}

/**
 * Opens a gate. A disabled gate is skipped; an auto gate approves at once with an `auto`
 * decision so the audit trail still says who (the policy) decided and why.
 */
export function openGate(policy: ApprovalPolicy, gate: GateName, ctx: { requester: string; owner: string; at: string }): GateState {
  const g = policy.gates[gate];
  const base = { ...pendingGate(policy, gate), opening: 1, openedAt: ctx.at, approvers: eligibleApprovers(g.approvers, policy, ctx) };
  if (!g.enabled) return { ...base, status: 'skipped', closedAt: ctx.at, closedReason: 'gate disabled by policy' };
  if (g.auto) {
    const decision: Decision = { gate, approver: 'policy', decision: 'approve', comment: 'auto-approved by low-risk policy; offline evidence recorded', channel: 'auto', at: ctx.at };
    return { ...base, status: 'approved', decisions: [decision], closedAt: ctx.at, closedReason: 'auto-approved (low risk)' };
  }
  return { ...base, status: 'open', deadline: addMs(ctx.at, g.timeoutMs) };
}

/** Distinct eligible people who approved. */
export function approvalCount(state: GateState): number {
  const who = new Set(state.decisions.filter((d) => d.decision === 'approve').map((d) => d.approver.trim().toLowerCase()));
  return who.size;
}

/**
 * Records a validated decision. Any reject closes the gate as rejected; the gate approves once
 * `required` distinct people approved. A closed gate is returned unchanged (validate first).
 */
export function applyDecision(state: GateState, decision: Decision): GateState {
  if (!isDecidable(state)) return state;
  const next: GateState = { ...state, decisions: [...state.decisions, decision] };
  if (decision.decision === 'reject') {
    return { ...next, status: 'rejected', deadline: undefined, closedAt: decision.at, closedReason: `rejected by ${decision.approver}${decision.comment ? `: ${decision.comment}` : ''}` };
  }
  if (approvalCount(next) >= next.required) {
    const names = next.decisions.filter((d) => d.decision === 'approve').map((d) => d.approver);
    return { ...next, status: 'approved', deadline: undefined, closedAt: decision.at, closedReason: `approved by ${names.join(', ')} (${approvalCount(next)} of ${next.required} required)` };
  }
  return next;
}

/** Keeps a refused attempt in the gate state (signals cannot be refused synchronously, so they land here). */
export function recordRefusal(state: GateState, attempt: RefusedAttempt): GateState {
  return { ...state, refused: [...state.refused, attempt] };
}

/** `72h`, `90m`, `2s`, `1500ms`: whole units only, so a 2-second gate does not read "0h". */
function humanMs(ms: number): string {
  const units: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1_000]];
  const fit = units.find(([, size]) => ms % size === 0);
  return fit ? `${ms / fit[1]}${fit[0]}` : `${ms}ms`;
}

/**
 * The deadline passed. `reject` closes as timed_out; `escalate` widens the approver list once
 * and starts a new deadline (a second timeout rejects); `hold` waits without a deadline.
 */
export function applyTimeout(state: GateState, policy: ApprovalPolicy, at: string): GateState {
  if (!isDecidable(state)) return state;
  const g = policy.gates[state.gate];
  const closed = (reason: string): GateState => ({ ...state, status: 'timed_out', deadline: undefined, closedAt: at, closedReason: reason });
  if (g.onTimeout === 'hold') return { ...state, status: 'held', deadline: undefined };
  if (g.onTimeout === 'escalate' && !state.escalated) {
    if (g.escalateTo.length === 0) return closed('timed out; escalation configured but approval.escalateTo is empty');
    // Escalation widens the list rather than replacing it: votes already cast keep counting.
    const approvers = [...state.approvers, ...g.escalateTo.filter((e) => !state.approvers.some((a) => sameIdentity(a, e)))];
    return { ...state, status: 'escalated', escalated: true, approvers, opening: state.opening + 1, deadline: addMs(at, g.timeoutMs) };
  }
  return closed(state.escalated ? 'timed out after escalation' : `timed out after ${humanMs(g.timeoutMs)} without a quorum`);
}

/** Milliseconds from `now` to the deadline, or undefined when the gate waits indefinitely or is closed. */
export function msUntilDeadline(state: GateState, now: string): number | undefined {
  if (!isDecidable(state) || !state.deadline) return undefined;
  return Math.max(0, Date.parse(state.deadline) - Date.parse(now));
}

/**
 * The next reminder strictly after `now` for the current opening, or null. The workflow sleeps
 * until `at` (or a decision, or the deadline), sends reminders, then asks again.
 */
export function nextReminder(state: GateState, policy: ApprovalPolicy, now: string): { at: string; beforeDeadlineMs: number } | null {
  if (!isDecidable(state) || !state.deadline) return null;
  const deadline = Date.parse(state.deadline);
  const nowMs = Date.parse(now);
  const upcoming = policy.gates[state.gate].remindBeforeMs
    .map((b) => ({ atMs: deadline - b, beforeDeadlineMs: b }))
    .filter((r) => r.atMs > nowMs)
    .sort((a, b) => a.atMs - b.atMs);
  const first = upcoming[0];
  return first ? { at: new Date(first.atMs).toISOString(), beforeDeadlineMs: first.beforeDeadlineMs } : null;
}

/** Eligible approvers who have not voted yet: the people a reminder goes to. */
export function awaitingApprovers(state: GateState): string[] {
  return state.approvers.filter((a) => !state.decisions.some((d) => sameIdentity(d.approver, a)));
}
