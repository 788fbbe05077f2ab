import type { ApprovalPolicy, GatePolicy } from '../../../src/domain/approval/policy';
import { activityCalls, type AuditEvent } from '../../../src/domain/audit/audit-event';
import { auditGates } from '../../../src/domain/audit/gate-audit';

const HOUR = 3_600_000;
const gatePolicy = (o: Partial<GatePolicy> = {}): GatePolicy => ({
  enabled: true, auto: false, required: 2, approvers: ['alice@example.com', 'bob@example.com', 'carol@example.com'], timeoutMs: HOUR, onTimeout: 'reject', escalateTo: [], remindBeforeMs: [], ...o,
});
const policy = (o: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({ signalDecisions: true, separationOfDuties: true, gates: { deploy: gatePolicy(), promote: gatePolicy() }, ...o });

const T0 = '2026-02-01T10:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function events(): AuditEvent[] {
  return [
    { eventId: 10, type: 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', time: T0, attrs: { searchAttributes: { indexedFields: { mlgateStage: 'awaiting_deploy_approval' } } } },
    { eventId: 11, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'sendApprovalEmails' }, input: [{ gate: 'deploy', kind: 'opened', approvers: ['alice@example.com', 'bob@example.com'], deadline: plus(HOUR) }] } },
    { eventId: 12, type: 'WORKFLOW_EXECUTION_SIGNALED', time: plus(60_000), attrs: { signalName: 'decision', input: [{ gate: 'deploy', approver: 'mallory@example.com', decision: 'approve' }] } },
    { eventId: 13, type: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', time: plus(120_000), attrs: { acceptedRequest: { input: { name: 'decide', args: [{ gate: 'deploy', approver: 'alice@example.com', decision: 'approve', comment: 'looks fine', channel: 'email' }] } } } },
    { eventId: 14, type: 'TIMER_FIRED', time: plus(HOUR), attrs: { timerId: '1' } },
  ];
}

function audit(p: ApprovalPolicy, evs = events()) {
  const refused: Parameters<typeof auditGates>[1] = [];
  const gates = auditGates({ events: evs, calls: activityCalls(evs), policy: p, requester: 'carol@example.com', owner: 'owner@example.com', runId: 'run-1' }, refused);
  return { gates, refused };
}

describe('gates rebuilt from history events', () => {
  it('closes a gate as timed_out when its deadline timer fires before the quorum, keeping the one approval', () => {
    const { gates } = audit(policy());
    expect(gates[0]).toMatchObject({ gate: 'deploy', status: 'timed_out', openedAt: T0, closedAt: plus(HOUR), approvers: ['alice@example.com', 'bob@example.com'] });
    expect(gates[0].decisions).toEqual([{ approver: 'alice@example.com', decision: 'approve', comment: 'looks fine', channel: 'email', at: plus(120_000), via: 'update', eventId: 13 }]);
    expect(gates[0].notifications).toEqual([{ kind: 'opened', at: T0, recipients: ['alice@example.com', 'bob@example.com'] }]);
  });

  it('keeps a gate the release never reached as pending', () => {
    expect(audit(policy()).gates[1]).toMatchObject({ gate: 'promote', status: 'pending', decisions: [] });
  });

  it('lists a signal from someone who is not an approver as a refused attempt, not a decision', () => {
    const { gates, refused } = audit(policy());
    expect(gates[0].decisions.map((d) => d.approver)).not.toContain('mallory@example.com');
    expect(refused).toEqual([expect.objectContaining({ who: 'mallory@example.com', gate: 'deploy', channel: 'signal', code: 'NOT_ALLOWED', source: 'signal' })]);
  });

  it('refuses signal decisions when the policy turns them off, as the workflow does', () => {
    const evs = events();
    evs[2] = { ...evs[2], attrs: { signalName: 'decision', input: [{ gate: 'deploy', approver: 'bob@example.com', decision: 'approve' }] } };
    const { gates, refused } = audit(policy({ signalDecisions: false }), evs);
    expect(refused.map((r) => [r.who, r.code])).toEqual([['bob@example.com', 'SIGNALS_DISABLED']]);
    expect(gates[0].status).toBe('timed_out');
  });

  it('approves at the quorum and records the closing reason with both names', () => {
    const evs = events().slice(0, 4);
    evs.push({ eventId: 15, type: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', time: plus(180_000), attrs: { acceptedRequest: { input: { name: 'decide', args: [{ gate: 'deploy', approver: 'bob@example.com', decision: 'approve', channel: 'cli' }] } } } });
    const { gates } = audit(policy(), evs);
    expect(gates[0]).toMatchObject({ status: 'approved', closedAt: plus(180_000), closedReason: 'approved by alice@example.com, bob@example.com (2 of 2 required)' });
  });
});
