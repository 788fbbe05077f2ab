import { mayDecide, mayOperate, operatorsOf } from '../../../src/domain/approval/who-may-act';
import type { GateState } from '../../../src/domain/approval/gate-state';

const gate = (o: Partial<GateState> = {}): GateState => ({ gate: 'deploy', status: 'open', opening: 1, approvers: ['alice@example.com', 'bob@example.com'], required: 1, decisions: [], refused: [], escalated: false, ...o });
const release = { owner: 'owner@example.com', requester: 'carol@example.com', stage: 'awaiting_deploy_approval', gates: [gate(), gate({ gate: 'promote', approvers: ['dave@example.com'] })] };

describe('who may act on a release or a model', () => {
  it('lets the owner and every approver named on the gates cancel, roll back and label predictions, and nobody else', () => {
    const ops = operatorsOf(release);
    expect(ops).toEqual({ owner: 'owner@example.com', approvers: ['alice@example.com', 'bob@example.com', 'dave@example.com'] });
    expect(mayOperate('Owner@Example.com', ops, 'cancel')).toEqual({ ok: true, why: 'you own this model, and owners may cancel a release' });
    expect(mayOperate('dave@example.com', ops, 'rollback')).toEqual({ ok: true, why: 'you are an approver of this model, and approvers may roll back' });
    expect(mayOperate('alice@example.com', ops, 'review')).toEqual({ ok: true, why: 'you are an approver of this model, and approvers may label predictions' });
    expect(mayOperate('carol@example.com', ops, 'rollback')).toEqual({ ok: false, why: 'only the owner (owner@example.com) and the approvers (alice@example.com, bob@example.com, dave@example.com) may roll back; you are carol@example.com' });
  });

  it('explains gate decisions in the order the Update validator refuses them', () => {
    expect(mayDecide('alice@example.com', gate(), release)).toMatchObject({ ok: true });
    expect(mayDecide('carol@example.com', gate({ approvers: ['carol@example.com'] }), release).why).toBe('you requested this release, and the policy forbids deciding on your own release');
    expect(mayDecide('mallory@example.com', gate(), release).why).toBe('you are not an approver of the deploy gate (approvers: alice@example.com, bob@example.com)');
    expect(mayDecide('alice@example.com', gate({ decisions: [{ gate: 'deploy', approver: 'alice@example.com', decision: 'approve', comment: '', channel: 'console', at: '2026-01-01T00:00:00Z' }] }), release).why).toBe('you have already decided on the deploy gate');
    expect(mayDecide('alice@example.com', gate({ status: 'approved' }), release).why).toBe('the deploy gate is approved, not open for decisions');
  });
});
