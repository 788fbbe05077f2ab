import { applyDecision, openGate } from '../../../src/domain/approval/gate-state';
import type { Decision } from '../../../src/domain/approval/decision';
import { resolvePolicy } from '../../../src/domain/approval/policy';
import { validateDecision } from '../../../src/domain/approval/validate-decision';
import { specFor } from './fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const base = { requester: 'dev@x.io', owner: 'owner@example.com' };
const decision = (over: Partial<Decision> = {}): Decision => ({ gate: 'deploy', approver: 'a@x.io', decision: 'approve', comment: '', channel: 'api', at: '2026-01-01T01:00:00.000Z', ...over });

function setup(risk: 'medium' | 'high' = 'high') {
  const policy = resolvePolicy(specFor(risk, { approvers: ['a@x.io', 'b@x.io', 'c@x.io', 'dev@x.io', 'owner@example.com'] }));
  return { policy, state: openGate(policy, 'deploy', { ...base, at: T0 }), ctx: { ...base, policy } };
}

describe('validateDecision', () => {
  test('an eligible approver on an open gate is accepted', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision(), ctx)).toEqual({ ok: true });
  });

  test('the requester approving their own release is refused as self-approval', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision({ approver: 'DEV@x.io' }), ctx)).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
  });

  test('the model owner is refused under separation of duties', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision({ approver: 'owner@example.com' }), ctx)).toMatchObject({ ok: false, code: 'SELF_APPROVAL', reason: expect.stringMatching(/separation of duties/) });
  });

  test('someone outside the approver list is refused', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision({ approver: 'mallory@x.io' }), ctx)).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
  });

  test('a second vote by the same approver is refused', () => {
    const { state, ctx } = setup();
    const after = applyDecision(state, decision());
    expect(validateDecision(after, decision({ decision: 'reject' }), ctx)).toMatchObject({ ok: false, code: 'ALREADY_VOTED' });
  });

  test('a decision on a closed gate is refused as not open', () => {
    const { state, ctx } = setup('medium');
    const closed = applyDecision(state, decision());
    expect(closed.status).toBe('approved');
    expect(validateDecision(closed, decision({ approver: 'b@x.io' }), ctx)).toMatchObject({ ok: false, code: 'GATE_NOT_OPEN' });
  });

  test('a signal decision is refused when the policy disables signals', () => {
    const { state, ctx } = setup('high');
    expect(validateDecision(state, decision({ channel: 'signal' }), ctx)).toMatchObject({ ok: false, code: 'SIGNALS_DISABLED' });
    const m = setup('medium');
    expect(validateDecision(m.state, decision({ channel: 'signal' }), m.ctx)).toEqual({ ok: true });
  });

  test('a decision for an earlier run or a finished release is refused as moved on', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision({ runId: 'run-1' }), { ...ctx, runId: 'run-2' })).toMatchObject({ ok: false, code: 'RELEASE_MOVED_ON' });
    expect(validateDecision(state, decision(), { ...ctx, releaseStage: 'rolled_back' })).toMatchObject({ ok: false, code: 'RELEASE_MOVED_ON' });
  });

  test('malformed decisions, the wrong gate and the reserved auto channel are refused as invalid', () => {
    const { state, ctx } = setup();
    expect(validateDecision(state, decision({ at: 'yesterday' }), ctx)).toMatchObject({ ok: false, code: 'INVALID', reason: expect.stringMatching(/^at: /) });
    expect(validateDecision(state, decision({ gate: 'promote' }), ctx)).toMatchObject({ ok: false, code: 'INVALID' });
    expect(validateDecision(state, decision({ channel: 'auto' }), ctx)).toMatchObject({ ok: false, code: 'INVALID' });
  });
});
