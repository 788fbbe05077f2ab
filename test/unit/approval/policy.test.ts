import { policyProblems, resolvePolicy } from '../../../src/domain/approval/policy';
import { specFor } from './fixtures';

const HOUR = 3_600_000;

describe('resolvePolicy', () => {
  test('a low-risk model auto-approves both gates and allows signals without separation of duties', () => {
    const p = resolvePolicy(specFor('low'));
    expect(p.gates.deploy.auto).toBe(true);
    expect(p.gates.promote.auto).toBe(true);
    expect(p.signalDecisions).toBe(true);
    expect(p.separationOfDuties).toBe(false);
  });

  test('a medium-risk model needs one approval per gate, rejects after 72h and reminds 24h before', () => {
    const p = resolvePolicy(specFor('medium', { approvers: ['a@x.io'] }));
    expect(p.gates.deploy).toMatchObject({ auto: false, required: 1, timeoutMs: 72 * HOUR, onTimeout: 'reject', remindBeforeMs: [24 * HOUR], approvers: ['a@x.io'] });
    expect(p.separationOfDuties).toBe(true);
    expect(p.signalDecisions).toBe(true);
  });

  test('a high-risk model needs two approvals, refuses signals and escalates after 48h', () => {
    const p = resolvePolicy(specFor('high', { approvers: ['a@x.io', 'b@x.io', 'c@x.io'], escalateTo: ['vp@x.io'] }));
    expect(p.signalDecisions).toBe(false);
    expect(p.gates.promote).toMatchObject({ required: 2, timeoutMs: 48 * HOUR, onTimeout: 'escalate', escalateTo: ['vp@x.io'] });
  });

  test('a critical model needs two approvals on both gates and escalates after 24h', () => {
    const p = resolvePolicy(specFor('critical'));
    for (const g of [p.gates.deploy, p.gates.promote]) expect(g).toMatchObject({ required: 2, timeoutMs: 24 * HOUR, onTimeout: 'escalate' });
    expect(p.signalDecisions).toBe(false);
  });

  test('spec overrides replace the risk-class defaults field by field', () => {
    const p = resolvePolicy(
      specFor('high', {
        approvers: ['a@x.io'],
        signalDecisions: true,
        gates: { promote: { required: 1, timeout: '2h', onTimeout: 'hold', approvers: ['p@x.io'], remindBefore: ['10m', '1h'] }, deploy: { enabled: false } },
      }),
    );
    expect(p.signalDecisions).toBe(true);
    expect(p.gates.deploy.enabled).toBe(false);
    expect(p.gates.promote).toMatchObject({ required: 1, timeoutMs: 2 * HOUR, onTimeout: 'hold', approvers: ['p@x.io'], remindBeforeMs: [HOUR, 600_000] });
  });

  test('a low-risk gate that names its own approvers becomes a manual gate', () => {
    const p = resolvePolicy(specFor('low', { gates: { promote: { approvers: ['a@x.io'] } } }));
    expect(p.gates.promote.auto).toBe(false);
    expect(p.gates.deploy.auto).toBe(true);
  });
});

describe('policyProblems', () => {
  test('a quorum larger than the eligible approvers is reported with the fix', () => {
    const p = resolvePolicy(specFor('high', { approvers: ['owner@example.com', 'a@x.io'] }));
    const problems = policyProblems(p, { owner: 'owner@example.com', requester: 'dev@x.io' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/approval\.gates\.deploy: needs 2 approval\(s\) but only 1 eligible approver\(s\) \(a@x\.io\)/);
  });

  test('a policy with enough eligible approvers has no problems', () => {
    const p = resolvePolicy(specFor('high', { approvers: ['a@x.io', 'b@x.io', 'c@x.io'] }));
    expect(policyProblems(p, { owner: 'owner@example.com', requester: 'dev@x.io' })).toEqual([]);
  });
});
