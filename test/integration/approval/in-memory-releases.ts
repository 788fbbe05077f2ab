/**
 * A real, in-memory implementation of the approvals server's ports, built on the same pure gate
 * rules the workflow uses (validateDecision / applyDecision). The Temporal-backed implementation
 * lives with the workflows; this one lets the server be tested over real HTTP on its own.
 */
import { applyDecision, openGate, type GateState } from '../../../src/domain/approval/gate-state';
import { resolvePolicy, type ApprovalPolicy } from '../../../src/domain/approval/policy';
import { validateDecision } from '../../../src/domain/approval/validate-decision';
import type { Evidence, PendingGate, ReleaseView } from '../../../src/domain/approval/views';
import type { ModelSpec } from '../../../src/domain/spec';
import type { DecideRequest, DecideResult, DecisionPort, ReleaseReader } from '../../../src/ports/decisions';

type Entry = { view: ReleaseView; policy: ApprovalPolicy; owner: string };

export type InMemoryReleases = DecisionPort &
  ReleaseReader & {
    add(o: { releaseId: string; runId: string; spec: ModelSpec; requester: string; evidence: Evidence; at: string }): ReleaseView;
    restart(releaseId: string, runId: string): void;
    gate(releaseId: string, gate: 'deploy' | 'promote'): GateState;
    decideCalls: DecideRequest[];
  };

export function createInMemoryReleases(clock: () => Date = () => new Date()): InMemoryReleases {
  const entries = new Map<string, Entry>();
  const decideCalls: DecideRequest[] = [];
  const mustGet = (id: string): Entry => {
    const e = entries.get(id);
    if (!e) throw new Error(`test setup: no release ${id}`);
    return e;
  };
  return {
    decideCalls,
    add({ releaseId, runId, spec, requester, evidence, at }) {
      const policy = resolvePolicy(spec);
      const deploy = openGate(policy, 'deploy', { requester, owner: spec.owner, at });
      const promote: GateState = { ...deploy, gate: 'promote', status: 'pending', opening: 0, decisions: [], deadline: undefined };
      const view: ReleaseView = { releaseId, runId, model: spec.id, riskClass: spec.riskClass, stage: 'awaiting-deploy-approval', requester, owner: spec.owner, gates: [deploy, promote], evidence };
      entries.set(releaseId, { view, policy, owner: spec.owner });
      return view;
    },
    restart(releaseId, runId) {
      const e = mustGet(releaseId);
      e.view = { ...e.view, runId };
    },
    gate: (releaseId, gate) => mustGet(releaseId).view.gates.find((g) => g.gate === gate)!,
    async decide(req): Promise<DecideResult> {
      decideCalls.push(req);
      const e = entries.get(req.releaseId);
      if (!e) return { accepted: false, code: 'INVALID', reason: `no release ${req.releaseId}` };
      const idx = e.view.gates.findIndex((g) => g.gate === req.gate);
      const decision = { ...req, at: clock().toISOString() };
      const v = validateDecision(e.view.gates[idx], decision, { requester: e.view.requester, owner: e.owner, policy: e.policy, runId: e.view.runId });
      if (!v.ok) return { accepted: false, code: v.code, reason: v.reason };
      const next = applyDecision(e.view.gates[idx], decision);
      e.view = { ...e.view, gates: e.view.gates.map((g, i) => (i === idx ? next : g)) };
      return { accepted: true, gateStatus: next.status };
    },
    async get(releaseId) {
      return entries.get(releaseId)?.view ?? null;
    },
    async listPending(approver): Promise<PendingGate[]> {
      return [...entries.values()].flatMap((e) =>
        e.view.gates
          .filter((g) => g.status === 'open' && (!approver || (g.approvers.includes(approver) && !g.decisions.some((d) => d.approver === approver))))
          .map((g) => ({
            releaseId: e.view.releaseId, runId: e.view.runId, model: e.view.model, riskClass: e.view.riskClass, gate: g.gate,
            openedAt: g.openedAt, deadline: g.deadline, required: g.required, approvals: g.decisions.length, approvers: g.approvers,
          })),
      );
    },
  };
}
