/**
 * Approval policy: which gates a release passes through, who may decide, how many must agree,
 * and what happens when nobody decides in time. Derived from the spec's risk class, then
 * overridden field by field by `spec.approval`. Pure and sandbox-safe: the workflow calls it.
 */
import { z } from 'zod';
import { durationMs } from '../duration';
import { GateNameSchema, TimeoutActionSchema, type GateName, type GatePolicyOverride, type ModelSpec, type RiskClass } from '../spec';

export { TimeoutAction, TimeoutActionSchema } from '../spec';

export const GatePolicySchema = z.object({
  /** A disabled gate is skipped: the release goes straight on. */
  enabled: z.boolean(),
  /** Approved by the policy itself with the offline evidence recorded (low risk only). */
  auto: z.boolean(),
  /** Quorum: this many distinct eligible approvers must approve. */
  required: z.number().int().min(1),
  /** Eligible approvers (emails). */
  approvers: z.array(z.string().min(1)),
  timeoutMs: z.number().int().positive(),
  onTimeout: TimeoutActionSchema,
  /** Approvers added when a timed-out gate escalates. */
  escalateTo: z.array(z.string().min(1)),
  /** Reminders are sent this long before the deadline (largest first). */
  remindBeforeMs: z.array(z.number().int().positive()),
});
export type GatePolicy = z.infer<typeof GatePolicySchema>;

export const ApprovalPolicySchema = z.object({
  /** Whether decisions may arrive as plain Temporal signals (unauthenticated, no synchronous refusal). */
  signalDecisions: z.boolean(),
  /** When on, the model owner may not approve either, not only the requester. */
  separationOfDuties: z.boolean(),
  gates: z.object({ deploy: GatePolicySchema, promote: GatePolicySchema }),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

const HOUR = 3_600_000;

type RiskDefaults = Omit<ApprovalPolicy, 'gates'> & { gate: Omit<GatePolicy, 'approvers' | 'escalateTo'> };

/** The defaults per risk class; the README's policy table documents the same numbers. */
export const RISK_DEFAULTS: Record<RiskClass, RiskDefaults> = {
  low: {
    signalDecisions: true,
    separationOfDuties: false,
    gate: { enabled: true, auto: true, required: 1, timeoutMs: 72 * HOUR, onTimeout: 'reject', remindBeforeMs: [] },
  },
  medium: {
    signalDecisions: true,
    separationOfDuties: true,
    gate: { enabled: true, auto: false, required: 1, timeoutMs: 72 * HOUR, onTimeout: 'reject', remindBeforeMs: [24 * HOUR] },
  },
  high: {
    signalDecisions: false,
    separationOfDuties: true,
    gate: { enabled: true, auto: false, required: 2, timeoutMs: 48 * HOUR, onTimeout: 'escalate', remindBeforeMs: [24 * HOUR, 4 * HOUR] },
  },
  critical: {
    signalDecisions: false,
    separationOfDuties: true,
    gate: { enabled: true, auto: false, required: 2, timeoutMs: 24 * HOUR, onTimeout: 'escalate', remindBeforeMs: [12 * HOUR, 2 * HOUR] },
  },
};

function resolveGate(spec: ModelSpec, override: GatePolicyOverride | undefined): GatePolicy {
  const base = RISK_DEFAULTS[spec.riskClass].gate;
  const o = override ?? {};
  // An explicit `auto: false` (or any named approver list) turns a low-risk gate into a manual one.
  const auto = o.auto ?? (base.auto && o.approvers === undefined);
  return {
    enabled: o.enabled ?? base.enabled,
    auto,
    required: o.required ?? base.required,
    approvers: o.approvers ?? spec.approval.approvers,
    timeoutMs: o.timeout !== undefined ? durationMs(o.timeout) : base.timeoutMs,
    onTimeout: o.onTimeout ?? base.onTimeout,
    escalateTo: o.escalateTo ?? spec.approval.escalateTo,
    remindBeforeMs: (o.remindBefore?.map(durationMs) ?? base.remindBeforeMs).slice().sort((a, b) => b - a),
  };
}

/** The effective policy for one model: risk-class defaults with the spec's overrides applied. */
export function resolvePolicy(spec: ModelSpec): ApprovalPolicy {
  const d = RISK_DEFAULTS[spec.riskClass];
  return {
    signalDecisions: spec.approval.signalDecisions ?? d.signalDecisions,
    separationOfDuties: spec.approval.separationOfDuties ?? d.separationOfDuties,
    gates: {
      deploy: resolveGate(spec, spec.approval.gates.deploy),
      promote: resolveGate(spec, spec.approval.gates.promote),
    },
  };
}

/**
 * Policies that can never pass: a manual gate whose quorum exceeds the approvers who may vote
 * (the owner drops out under separation of duties). Checked at release start so the release
 * fails fast instead of waiting for a timeout.
 */
export function policyProblems(policy: ApprovalPolicy, ctx: { owner: string; requester: string }): string[] {
  const problems: string[] = [];
  for (const gate of GateNameSchema.options as GateName[]) {
    const g = policy.gates[gate];
    if (!g.enabled || g.auto) continue;
    const eligible = eligibleApprovers(g.approvers, policy, ctx);
    if (eligible.length < g.required) {
      problems.push(
        `approval.gates.${gate}: needs ${g.required} approval(s) but only ${eligible.length} eligible approver(s) ` +
          `(${eligible.join(', ') || 'none'}); list more people in approval.approvers or lower approval.gates.${gate}.required`,
      );
    }
  }
  return problems;
}

/** Identities are emails: compared without case or surrounding spaces. */
export function sameIdentity(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Approvers minus the requester, and minus the owner under separation of duties. */
export function eligibleApprovers(list: readonly string[], policy: Pick<ApprovalPolicy, 'separationOfDuties'>, ctx: { owner: string; requester: string }): string[] {
  return list.filter((a) => !sameIdentity(a, ctx.requester) && !(policy.separationOfDuties && sameIdentity(a, ctx.owner)));
}
