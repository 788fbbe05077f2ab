/**
 * The release's in-memory state and the message handlers that change it. Kept apart from the
 * stage sequence (release.ts) so each reads on its own. Runs inside the workflow sandbox.
 */
import { ApplicationFailure, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { applyDecision, pendingGate, recordRefusal, type GateState } from '../domain/approval/gate-state';
import type { Decision } from '../domain/approval/decision';
import { resolvePolicy, type ApprovalPolicy } from '../domain/approval/policy';
import { validateDecision } from '../domain/approval/validate-decision';
import { ErrorType } from '../domain/errors';
import type { Outcome, ReleaseInput, Stage } from '../domain/release';
import type { ReleaseStatus } from '../domain/release-status';
import type { GateName } from '../domain/spec';
import { decideUpdate, decisionSignal, statusQuery, type DecideArgs, type DecisionSignalArgs } from './messages';
import { OutcomeKey, StageKey } from './search-attributes';

export class ReleaseState {
  readonly policy: ApprovalPolicy;
  readonly status: ReleaseStatus;

  constructor(readonly input: ReleaseInput) {
    const info = workflowInfo();
    this.policy = resolvePolicy(input.spec);
    this.status = {
      releaseId: info.workflowId,
      runId: info.runId,
      model: input.spec.id,
      riskClass: input.spec.riskClass,
      stage: 'queued',
      requester: input.requester,
      owner: input.spec.owner,
      gates: [pendingGate(this.policy, 'deploy'), pendingGate(this.policy, 'promote')],
      evidence: { offline: { metrics: {}, delta: {}, slices: [] } },
      reason: input.reason,
      reasonDetail: input.reasonDetail,
      timeline: [],
      reasons: [],
      notifications: [],
    };
  }

  nowIso(): string {
    return new Date().toISOString(); // workflow time: deterministic inside the sandbox
  }

  gate(name: GateName): GateState {
    return this.status.gates.find((g) => g.gate === name)!;
  }

  setGate(state: GateState): void {
    this.status.gates = this.status.gates.map((g) => (g.gate === state.gate ? state : g));
  }

  enter(stage: Stage): void {
    this.status.stage = stage;
    this.status.timeline.push({ stage, at: this.nowIso() });
    upsertSearchAttributes([{ key: StageKey, value: stage }]);
  }

  finish(outcome: Outcome, reasons: string[] = []): void {
    this.status.outcome = outcome;
    this.status.reasons.push(...reasons);
    this.enter('done');
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
  }

  /** Payloads from `temporal workflow signal` are unchecked JSON: read them defensively, validate next. */
  private toDecision(raw: DecideArgs | DecisionSignalArgs, channel: Decision['channel']): Decision {
    const args = (raw ?? {}) as Partial<DecideArgs>;
    return { gate: args.gate!, approver: args.approver!, decision: args.decision!, comment: args.comment ?? '', channel, at: this.nowIso(), ...(args.runId ? { runId: args.runId } : {}) };
  }

  private check(d: Decision) {
    const gate = this.status.gates.find((g) => g.gate === d.gate);
    if (!gate) return { ok: false as const, code: 'INVALID' as const, reason: `unknown gate "${String(d.gate)}"; gates are deploy and promote` };
    return validateDecision(gate, d, { requester: this.input.requester, owner: this.input.spec.owner, policy: this.policy, runId: this.status.runId, releaseStage: this.status.outcome ? 'completed' : undefined });
  }

  /** Update: refused decisions throw in the validator, so they never reach history. */
  installHandlers(): void {
    setHandler(statusQuery, () => this.status);
    setHandler(
      decideUpdate,
      (args) => {
        const d = this.toDecision(args, args.channel);
        this.setGate(applyDecision(this.gate(d.gate), d));
        return { gateStatus: this.gate(d.gate).status };
      },
      {
        validator: (args) => {
          const v = this.check(this.toDecision(args, args.channel));
          if (!v.ok) throw ApplicationFailure.create({ type: ErrorType.DecisionRefused, message: v.reason, details: [v.code], nonRetryable: true });
        },
      },
    );
    // A signal cannot be refused synchronously: apply the same policy and keep refusals in state.
    setHandler(decisionSignal, (args) => {
      const d = this.toDecision(args, 'signal');
      const v = this.check(d);
      if (v.ok) return this.setGate(applyDecision(this.gate(d.gate), d));
      const gate = this.status.gates.find((g) => g.gate === d.gate);
      if (gate) this.setGate(recordRefusal(gate, { gate: d.gate, approver: d.approver, decision: d.decision, channel: 'signal', at: d.at, code: v.code, reason: v.reason }));
      else this.status.reasons.push(`refused signal from ${d.approver}: ${v.reason}`);
    });
  }
}
