/**
 * Rebuilds each gate from history with the same pure state machine the workflow runs: open at
 * the recorded time, then apply the accepted decide Updates, the decision Signals (validated as
 * the workflow validates them) and the deadline timers, in event order.
 */
import type { Decision } from '../approval/decision';
import { applyDecision, applyTimeout, isDecidable, openGate, type GateState } from '../approval/gate-state';
import type { ApprovalPolicy } from '../approval/policy';
import { validateDecision } from '../approval/validate-decision';
import type { GateName } from '../spec';
import { at, first, str, type ActivityCall, type AuditEvent } from './audit-event';
import type { AuditDecision, AuditGate, AuditRecord } from './audit-record';

export interface GateAuditContext {
  events: readonly AuditEvent[];
  calls: readonly ActivityCall[];
  policy: ApprovalPolicy;
  requester: string;
  owner: string;
  runId: string;
}

type Refused = AuditRecord['refusedAttempts'][number];

const STAGE_OF: Record<GateName, string> = { deploy: 'awaiting_deploy_approval', promote: 'awaiting_promote_approval' };

/** The stage a search-attribute upsert moved to, if it set one. */
export function upsertedStage(e: AuditEvent): string | undefined {
  if (e.type !== 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') return undefined;
  return str(first(at(e.attrs, 'searchAttributes', 'indexedFields', 'mlgateStage')) ?? at(e.attrs, 'searchAttributes', 'indexedFields', 'mlgateStage'));
}

function decisionFrom(e: AuditEvent, gate: GateName): (Decision & { eventId: number }) | undefined {
  const isUpdate = e.type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && at(e.attrs, 'acceptedRequest', 'input', 'name') === 'decide';
  const isSignal = e.type === 'WORKFLOW_EXECUTION_SIGNALED' && e.attrs.signalName === 'decision';
  if (!isUpdate && !isSignal) return undefined;
  const args = (first(isUpdate ? at(e.attrs, 'acceptedRequest', 'input', 'args') : e.attrs.input) ?? {}) as Record<string, unknown>;
  if (args.gate !== gate) return undefined;
  const channel = (isUpdate ? args.channel : 'signal') as Decision['channel'];
  return { gate, approver: String(args.approver), decision: args.decision as Decision['decision'], comment: str(args.comment) ?? '', channel, at: e.time, eventId: e.eventId, ...(str(args.runId) ? { runId: str(args.runId) } : {}) };
}

function notifications(calls: readonly ActivityCall[], gate: GateName): AuditGate['notifications'] {
  return calls
    .filter((c) => c.activityType === 'sendApprovalEmails' && at(c.input, 'gate') === gate)
    .map((c) => {
      const sent = at(c.result, 'sent');
      return { kind: at(c.input, 'kind') as 'opened', at: c.scheduledAt, recipients: (at(c.input, 'approvers') as string[]) ?? [], ...(Array.isArray(sent) ? { sent: sent as string[] } : {}), ...(c.failure ? { error: c.failure } : {}) };
    });
}

/** The opening time the workflow used: the opened mail's deadline minus the timeout, else the stage event. */
function openedAt(ctx: GateAuditContext, gate: GateName, stageEvent: AuditEvent): string {
  const mail = ctx.calls.find((c) => c.activityType === 'sendApprovalEmails' && at(c.input, 'gate') === gate && at(c.input, 'kind') === 'opened');
  const deadline = str(at(mail?.input, 'deadline'));
  return deadline ? new Date(Date.parse(deadline) - ctx.policy.gates[gate].timeoutMs).toISOString() : stageEvent.time;
}

function replayGate(ctx: GateAuditContext, gate: GateName, opening: AuditEvent, refused: Refused[]): { state: GateState; eventIds: Map<string, number> } {
  let state = openGate(ctx.policy, gate, { requester: ctx.requester, owner: ctx.owner, at: openedAt(ctx, gate, opening) });
  const eventIds = new Map<string, number>();
  for (const e of ctx.events) {
    if (e.eventId <= opening.eventId) continue;
    if (e.type === 'TIMER_FIRED' && isDecidable(state) && state.deadline && Date.parse(e.time) >= Date.parse(state.deadline)) {
      state = applyTimeout(state, ctx.policy, e.time);
      continue;
    }
    const d = decisionFrom(e, gate);
    if (!d) continue;
    const { eventId, ...decision } = d;
    if (decision.channel === 'signal') {
      const v = validateDecision(state, decision, { requester: ctx.requester, owner: ctx.owner, policy: ctx.policy, runId: ctx.runId });
      if (!v.ok) {
        refused.push({ at: e.time, who: decision.approver, gate, channel: 'signal', code: v.code, reason: v.reason, source: 'signal' });
        continue;
      }
    }
    eventIds.set(`${decision.approver}|${decision.at}`, eventId);
    state = applyDecision(state, decision);
  }
  return { state, eventIds };
}

function auditDecision(d: Decision, eventIds: Map<string, number>): AuditDecision {
  const via = d.channel === 'auto' ? 'policy' : d.channel === 'signal' ? 'signal' : 'update';
  const eventId = eventIds.get(`${d.approver}|${d.at}`);
  return { approver: d.approver, decision: d.decision, comment: d.comment, channel: d.channel, at: d.at, via, ...(eventId !== undefined ? { eventId } : {}) };
}

/** Both gates, in order; a gate the release never reached stays `pending`. Signal refusals land in `refused`. */
export function auditGates(ctx: GateAuditContext, refused: Refused[]): AuditGate[] {
  return (['deploy', 'promote'] as const).map((gate) => {
    const g = ctx.policy.gates[gate];
    const opening = ctx.events.find((e) => upsertedStage(e) === STAGE_OF[gate]);
    if (!opening) return { gate, status: 'pending', required: g.required, approvers: g.approvers, notifications: [], decisions: [] };
    const { state, eventIds } = replayGate(ctx, gate, opening, refused);
    return {
      gate,
      status: state.status,
      required: state.required,
      approvers: state.approvers,
      ...(state.openedAt ? { openedAt: state.openedAt } : {}),
      ...(state.deadline ? { deadline: state.deadline } : {}),
      ...(state.closedAt ? { closedAt: state.closedAt } : {}),
      ...(state.closedReason ? { closedReason: state.closedReason } : {}),
      notifications: notifications(ctx.calls, gate),
      decisions: state.decisions.map((d) => auditDecision(d, eventIds)),
    };
  });
}
