import { applyDecision, applyTimeout, awaitingApprovers, msUntilDeadline, nextReminder, openGate, recordRefusal } from '../../../src/domain/approval/gate-state';
import type { Decision } from '../../../src/domain/approval/decision';
import { resolvePolicy } from '../../../src/domain/approval/policy';
import { specFor } from './fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (h: number): string => new Date(Date.parse(T0) + h * 3_600_000).toISOString();
const ctx = { requester: 'dev@x.io', owner: 'owner@example.com', at: T0 };
const vote = (approver: string, decision: 'approve' | 'reject', h = 1): Decision => ({ gate: 'deploy', approver, decision, comment: '', channel: 'api', at: at(h) });

const high = resolvePolicy(specFor('high', { approvers: ['a@x.io', 'b@x.io', 'c@x.io', 'dev@x.io', 'owner@example.com'], escalateTo: ['vp@x.io'] }));

describe('gate state machine', () => {
  test('opening a manual gate sets a deadline and drops the requester and owner from the eligible approvers', () => {
    const s = openGate(high, 'deploy', ctx);
    expect(s.status).toBe('open');
    expect(s.deadline).toBe(at(48));
    expect(s.approvers).toEqual(['a@x.io', 'b@x.io', 'c@x.io']);
    expect(s.opening).toBe(1);
  });

  test('a low-risk gate approves at once with an auto decision recorded', () => {
    const s = openGate(resolvePolicy(specFor('low')), 'promote', ctx);
    expect(s.status).toBe('approved');
    expect(s.decisions).toEqual([expect.objectContaining({ channel: 'auto', decision: 'approve', approver: 'policy' })]);
  });

  test('a disabled gate is skipped', () => {
    const s = openGate(resolvePolicy(specFor('medium', { gates: { deploy: { enabled: false } } })), 'deploy', ctx);
    expect(s.status).toBe('skipped');
  });

  test('two of three approvers reach the quorum and approve the gate', () => {
    const one = applyDecision(openGate(high, 'deploy', ctx), vote('a@x.io', 'approve'));
    expect(one.status).toBe('open');
    const two = applyDecision(one, vote('b@x.io', 'approve', 2));
    expect(two.status).toBe('approved');
    expect(two.closedAt).toBe(at(2));
    expect(two.closedReason).toMatch(/a@x\.io, b@x\.io \(2 of 2 required\)/);
    expect(two.deadline).toBeUndefined();
  });

  test('one reject closes the gate as rejected even after an approval', () => {
    const s = applyDecision(applyDecision(openGate(high, 'deploy', ctx), vote('a@x.io', 'approve')), { ...vote('b@x.io', 'reject', 2), comment: 'slice gap too big' });
    expect(s.status).toBe('rejected');
    expect(s.closedReason).toBe('rejected by b@x.io: slice gap too big');
  });

  test('a decision on a closed gate leaves the state unchanged', () => {
    const rejected = applyDecision(openGate(high, 'deploy', ctx), vote('a@x.io', 'reject'));
    expect(applyDecision(rejected, vote('b@x.io', 'approve', 2))).toBe(rejected);
  });

  test('a timeout under the escalate policy widens the approver list, starts a new deadline and counts a new opening', () => {
    const voted = applyDecision(openGate(high, 'deploy', ctx), vote('a@x.io', 'approve'));
    const s = applyTimeout(voted, high, at(48));
    expect(s.status).toBe('escalated');
    expect(s.escalated).toBe(true);
    expect(s.approvers).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'vp@x.io']);
    expect(s.deadline).toBe(at(96));
    expect(s.opening).toBe(2);
    expect(applyDecision(s, vote('vp@x.io', 'approve', 50)).status).toBe('approved');
  });

  test('a second timeout after escalation closes the gate as timed out', () => {
    const s = applyTimeout(applyTimeout(openGate(high, 'deploy', ctx), high, at(48)), high, at(96));
    expect(s.status).toBe('timed_out');
    expect(s.closedReason).toBe('timed out after escalation');
  });

  test('escalation without an escalation list times out instead', () => {
    const p = resolvePolicy(specFor('critical', { approvers: ['a@x.io', 'b@x.io'] }));
    const s = applyTimeout(openGate(p, 'deploy', ctx), p, at(24));
    expect(s.status).toBe('timed_out');
    expect(s.closedReason).toMatch(/escalateTo is empty/);
  });

  test('a medium-risk timeout rejects, and a hold policy waits without a deadline', () => {
    const medium = resolvePolicy(specFor('medium', { approvers: ['a@x.io'] }));
    expect(applyTimeout(openGate(medium, 'deploy', ctx), medium, at(72)).status).toBe('timed_out');
    const hold = resolvePolicy(specFor('medium', { approvers: ['a@x.io'], gates: { deploy: { onTimeout: 'hold' } } }));
    const held = applyTimeout(openGate(hold, 'deploy', ctx), hold, at(72));
    expect(held.status).toBe('held');
    expect(msUntilDeadline(held, at(80))).toBeUndefined();
    expect(applyDecision(held, vote('a@x.io', 'approve', 90)).status).toBe('approved');
  });

  test('reminders come at the configured offsets before the deadline, then stop', () => {
    const s = openGate(high, 'deploy', ctx);
    expect(nextReminder(s, high, T0)).toEqual({ at: at(24), beforeDeadlineMs: 24 * 3_600_000 });
    expect(nextReminder(s, high, at(24))).toEqual({ at: at(44), beforeDeadlineMs: 4 * 3_600_000 });
    expect(nextReminder(s, high, at(44))).toBeNull();
    expect(msUntilDeadline(s, at(47))).toBe(3_600_000);
  });

  test('reminders go only to eligible approvers who have not decided', () => {
    const s = applyDecision(openGate(high, 'deploy', ctx), vote('a@x.io', 'approve'));
    expect(awaitingApprovers(s)).toEqual(['b@x.io', 'c@x.io']);
  });

  test('a refused signal is kept in the gate state for the audit trail', () => {
    const s = recordRefusal(openGate(high, 'deploy', ctx), { gate: 'deploy', approver: 'dev@x.io', channel: 'signal', at: at(1), code: 'SIGNALS_DISABLED', reason: 'no signals' });
    expect(s.refused).toHaveLength(1);
    expect(s.status).toBe('open');
  });
});
