import { lookAtExperiment, experimentVerdict } from '../../../src/domain/analysis/experiment';
import { watchesInRollout } from '../../../src/domain/analysis/alpha-budget';
import { sameRouting, stickyDraw } from '../../../src/domain/routing';
import { AbStrategySchema, parseModelSpec } from '../../../src/domain/spec';

const base = { id: 'credit', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'iris' }, label: 'y', features: ['a'] } };
const ab = { kind: 'ab', userKey: 'x-user-id', kpi: { kind: 'conversion' }, minEffect: 0.02, maxDuration: '7d' };

function problemsOf(strategy: unknown): string[] {
  const r = parseModelSpec({ ...base, strategy });
  return r.ok ? [] : r.problems;
}

describe('the A/B strategy in the model spec', () => {
  it('fills the defaults of a minimal A/B strategy: half the users, alpha 0.05, a 5 s poll', () => {
    const r = parseModelSpec({ ...base, strategy: ab });
    expect(r.ok && r.spec.strategy).toEqual({ ...ab, candidateShare: 0.5, alpha: 0.05, pollEvery: '5s', postPromotionWatch: '1m' });
  });

  it('names the field and the fix for a missing user key, minimum effect, KPI bounds and an unknown field', () => {
    expect(problemsOf({ ...ab, userKey: undefined }).join('\n')).toMatch(/strategy\.userKey/);
    expect(problemsOf({ ...ab, minEffect: undefined }).join('\n')).toMatch(/strategy\.minEffect: minEffect: give the smallest KPI difference/);
    expect(problemsOf({ ...ab, kpi: { kind: 'mean', min: 0 } }).join('\n')).toMatch(/strategy\.kpi\.max: kpi\.max: give the largest possible KPI value/);
    expect(problemsOf({ ...ab, kpi: { kind: 'revenue' } }).join('\n')).toMatch(/strategy\.kpi.*use \{ kind: conversion \}/);
    expect(problemsOf({ ...ab, splitBy: 'x' }).join('\n')).toMatch(/strategy.*splitBy/);
    expect(problemsOf({ ...ab, candidateShare: 1 }).join('\n')).toMatch(/strategy\.candidateShare: candidateShare is a share in \(0, 1\)/);
  });

  it('rejects a mean KPI whose max is not above its min, and a minimum effect as large as the KPI range', () => {
    expect(problemsOf({ ...ab, kpi: { kind: 'mean', min: 5, max: 5 } })).toEqual(['strategy.kpi.max: must be above kpi.min (5)']);
    expect(problemsOf({ ...ab, minEffect: 1 })).toEqual(['strategy.minEffect: 1 is not below the KPI\'s range (1); give a smaller effect']);
  });

  it('counts one SLO watch during the experiment and one after promotion in the alpha budget', () => {
    expect(watchesInRollout(AbStrategySchema.parse(ab))).toBe(2);
  });
});

describe('sticky A/B routing', () => {
  it('keeps a user key in the same arm on every draw, and splits many keys near the set share', () => {
    expect(stickyDraw('user-42')).toBe(stickyDraw('user-42'));
    const inCandidate = Array.from({ length: 4000 }, (_, i) => stickyDraw(`user-${i}`) * 100 < 30).filter(Boolean).length;
    expect(inCandidate / 4000).toBeGreaterThan(0.27);
    expect(inCandidate / 4000).toBeLessThan(0.33);
  });

  it('treats a routing that starts requiring the sticky key as a change', () => {
    const r = { stable: { version: 'a' }, candidate: { version: 'b', mode: 'canary' as const, weight: 50 }, stickyHeader: 'x-user-id' };
    expect(sameRouting(r, { ...r, stickyRequired: true })).toBe(false);
  });
});

describe('one look at an experiment', () => {
  const strategy = AbStrategySchema.parse({ ...ab, minEffect: 0.1 });

  it('calls a winner when the candidate converts far better, and says so with the interval', () => {
    const l = lookAtExperiment({ candidate: { kpiCount: 400, kpiSum: 320 }, control: { kpiCount: 400, kpiSum: 80 }, strategy });
    expect(l.call).toBe('winner');
    expect(l.cs.lower).toBeGreaterThan(0);
    expect(experimentVerdict(l, false)).toBe('winner');
    expect(l.reason).toMatch(/^the candidate is better: conversion difference 0\.6, 95% confidence sequence \[0\.\d+, 0\.\d+\] \(400 candidate \/ 400 control values\)$/);
  });

  it('keeps running on thin evidence, and turns inconclusive only at the deadline', () => {
    const l = lookAtExperiment({ candidate: { kpiCount: 10, kpiSum: 6 }, control: { kpiCount: 10, kpiSum: 4 }, strategy });
    expect(l.call).toBe('running');
    expect(experimentVerdict(l, false)).toBeNull();
    expect(experimentVerdict(l, true)).toBe('inconclusive');
  });

  it('will not judge feedback values outside the KPI bounds: the verdict is inconclusive and names the bounds', () => {
    const l = lookAtExperiment({ candidate: { kpiCount: 400, kpiSum: 800, kpiMin: 0, kpiMax: 5 }, control: { kpiCount: 400, kpiSum: 80 }, strategy });
    expect(l.call).toBe('out-of-bounds');
    expect(experimentVerdict(l, false)).toBe('inconclusive');
    expect(l.reason).toMatch(/^feedback kpi values outside \[0, 1\]/);
  });
});

describe('early pass in the canary strategy', () => {
  it('is off by default, and fills alpha and minSamples when given a margin', () => {
    const off = parseModelSpec({ ...base, strategy: { kind: 'canary' } });
    expect(off.ok && off.spec.strategy.kind === 'canary' && off.spec.strategy.earlyPass).toBeUndefined();
    const on = parseModelSpec({ ...base, strategy: { kind: 'canary', earlyPass: { errorRateMargin: 0.01 } } });
    expect(on.ok && on.spec.strategy.kind === 'canary' && on.spec.strategy.earlyPass).toEqual({ errorRateMargin: 0.01, alpha: 0.05, minSamples: 200 });
  });

  it('names the missing margin and how to give it', () => {
    expect(problemsOf({ kind: 'canary', earlyPass: {} }).join('\n')).toMatch(/strategy\.earlyPass\.errorRateMargin: earlyPass\.errorRateMargin: give the tolerated error-rate increase/);
  });
});
