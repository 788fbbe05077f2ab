/**
 * The error-rate checks under continuous monitoring: judged after every request, 2000 seeded
 * trials each. Under the least favourable null (the true rate exactly at the limit, or the same
 * rate on both arms, with the effect-size gate off) the share of trials that EVER fail stays at or
 * below the check's alpha; the fixed-sample binomial test it replaced, judged the same way, does
 * not. Power is measured at the level a default rollout gives each check (slo.alpha 0.01 over 5
 * watches and 5 checks: 0.0004).
 */
import { judgeErrorRate, judgeErrorRateIncrease } from '../../../../src/domain/analysis/error-checks';
import { alphaPerCheck } from '../../../../src/domain/analysis/alpha-budget';
import { binomialUpperTail } from '../../../../src/domain/stats/proportion-tests';
import { SloSpecSchema } from '../../../../src/domain/spec';
import { emptySummary, simulate, simulateOneArm, table, type SimulationResult } from './simulate';

const TRIALS = 2000;
/** Power runs stop at the alarm, but a regression can take thousands of requests: fewer trials keep them fast. */
const POWER_TRIALS = 500;
const HORIZON = 600;
const ALPHA = 0.05;
const PRODUCTION = alphaPerCheck({ alpha: 0.01, watches: 5, compareWithBaseline: true, mode: 'canary' });
const figures: Array<[string, SimulationResult]> = [];

/** Absolute check: one arm whose true error rate is `rate`, against the default 2% limit. */
function absolute(rate: number, alphaCheck: number, seed: number, trials = TRIALS, horizon = HORIZON): SimulationResult {
  const slo = SloSpecSchema.parse({});
  return simulateOneArm({
    trials, horizon, seed,
    observe: (c, rand) => {
      c.requests++;
      if (rand() < rate) c.errors++;
    },
    judge: (c) => judgeErrorRate({ candidate: c, slo, alphaCheck }).breach,
  });
}

/** Increase check: requests go to the candidate with probability `share`; the effect gate is off (maxErrorRateIncrease 0). */
function increase(rates: { candidate: number; baseline: number }, alphaCheck: number, seed: number, o: { trials?: number; horizon?: number; share?: number } = {}): SimulationResult {
  const { trials = TRIALS, horizon = HORIZON, share = 0.25 } = o;
  const slo = SloSpecSchema.parse({ maxErrorRateIncrease: 0, maxErrorRate: 1 });
  return simulate({
    trials, horizon, seed,
    trial: (rand) => {
      const c = emptySummary('cand');
      const b = emptySummary('base');
      return () => {
        const arm = rand() < share ? c : b;
        arm.requests++;
        if (rand() < (arm === c ? rates.candidate : rates.baseline)) arm.errors++;
        if (c.requests === 0 || b.requests === 0) return false;
        return judgeErrorRateIncrease({ candidate: c, baseline: b, slo, alphaCheck }).breach;
      };
    },
  });
}

afterAll(() => console.log(table(`error checks, judged after every request (${TRIALS} trials of up to ${HORIZON} requests unless noted)`, figures)));

describe('error-rate checks under continuous monitoring', () => {
  it('fail at most alpha of healthy candidates whose error rate sits exactly at the limit', () => {
    const r = absolute(0.02, ALPHA, 1);
    figures.push([`error-rate, true rate = limit 2%, alpha ${ALPHA}`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('where the fixed-sample binomial test they replaced, judged after every request, fails far more than alpha', () => {
    // 500 trials of 500 requests: the exact tail sums are slow, and the inflation is plain at once.
    const r = simulate({
      trials: 500, horizon: 500, seed: 1,
      trial: (rand) => {
        let n = 0;
        let k = 0;
        return () => {
          n++;
          if (rand() < 0.02) k++;
          return k / n > 0.02 && binomialUpperTail(k, n, 0.02).pValue < ALPHA;
        };
      },
    });
    figures.push([`old exact binomial test at every request, alpha ${ALPHA}`, r]);
    expect(r.rate).toBeGreaterThan(2 * ALPHA);
  });

  it('fail at most alpha of candidates with the same error rate as the baseline (25% canary)', () => {
    const r = increase({ candidate: 0.02, baseline: 0.02 }, ALPHA, 2);
    figures.push([`error-rate-increase, both arms 2%, alpha ${ALPHA}`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('detect an error rate of 5% against a 2% limit in 99% of trials within 3000 requests, at the level a default rollout gives each check', () => {
    const r = absolute(0.05, PRODUCTION, 3, POWER_TRIALS, 3000);
    figures.push([`error-rate, true rate 5%, alpha ${PRODUCTION} (${POWER_TRIALS} trials, 3000 requests)`, r]);
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
    expect(r.median).toBeLessThan(800);
  });

  it('detect a 50% error rate within a few dozen requests (the benchmark fault)', () => {
    const r = absolute(0.5, PRODUCTION, 4, POWER_TRIALS);
    figures.push([`error-rate, true rate 50%, alpha ${PRODUCTION}`, r]);
    expect(r.rate).toBe(1);
    expect(r.median).toBeLessThanOrEqual(20);
  });

  it('detect a candidate at 5% errors against a baseline at 1% (25% canary) within 8000 requests', () => {
    const r = increase({ candidate: 0.05, baseline: 0.01 }, PRODUCTION, 5, { trials: POWER_TRIALS, horizon: 8000 });
    figures.push([`error-rate-increase, 5% vs 1%, 25% canary, alpha ${PRODUCTION} (${POWER_TRIALS} trials, 8000 requests)`, r]);
    expect(r.rate).toBeGreaterThanOrEqual(0.95);
  });

  it('detect a candidate at 50% errors against a baseline at 1% (50% canary, the benchmark fault) within a few dozen requests', () => {
    const r = increase({ candidate: 0.5, baseline: 0.01 }, PRODUCTION, 6, { trials: POWER_TRIALS, share: 0.5 });
    figures.push([`error-rate-increase, 50% vs 1%, 50% canary, alpha ${PRODUCTION}`, r]);
    expect(r.rate).toBe(1);
    expect(r.median).toBeLessThanOrEqual(60);
  });
});
