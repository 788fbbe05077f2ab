/**
 * Early pass (`strategy.earlyPass`) under continuous monitoring: the error-rate non-inferiority
 * decision judged after every request, 2000 seeded trials. Under the least favourable null (the
 * candidate worse by exactly the margin) the share of trials that EVER pass early stays at or below
 * alpha. Power: how often, and after how many requests, an equally good candidate passes early.
 */
import { bernoulliCsBound, errorRateNonInferiority, nonInferiorityShown } from '../../../../src/domain/analysis/non-inferiority';
import { simulate, table, type SimulationResult } from './simulate';

const TRIALS = 2000;
const HORIZON = 600;
const POWER_TRIALS = 200;
const ALPHA = 0.05;
const figures: Array<[string, SimulationResult]> = [];

function run(rates: { candidate: number; baseline: number }, margin: number, o: { trials: number; horizon: number; seed: number; share?: number }): SimulationResult {
  const share = o.share ?? 0.5;
  return simulate({
    ...o,
    trial: (rand) => {
      const c = { errors: 0, requests: 0 };
      const b = { errors: 0, requests: 0 };
      return () => {
        const arm = rand() < share ? c : b;
        arm.requests++;
        if (rand() < (arm === c ? rates.candidate : rates.baseline)) arm.errors++;
        return nonInferiorityShown({ candidate: c, baseline: b, margin, alpha: ALPHA });
      };
    },
  });
}

afterAll(() => console.log(table(`early pass, judged after every request (alpha ${ALPHA})`, figures)));

describe('early pass on error-rate non-inferiority under continuous monitoring', () => {
  it('passes early at most alpha of candidates whose error rate is worse by exactly the margin', () => {
    const r = run({ candidate: 0.25, baseline: 0.05 }, 0.2, { trials: TRIALS, horizon: HORIZON, seed: 21 });
    figures.push(['25% vs 5% errors, margin 20 points: early pass (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('passes early at most alpha of candidates at the margin with low error rates and a 20% canary', () => {
    const r = run({ candidate: 0.03, baseline: 0.01 }, 0.02, { trials: TRIALS, horizon: HORIZON, seed: 22, share: 0.2 });
    figures.push(['3% vs 1%, margin 2 points, 20% canary: early pass (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('passes most equally good candidates early, within a few thousand requests', () => {
    const r = run({ candidate: 0.01, baseline: 0.01 }, 0.02, { trials: POWER_TRIALS, horizon: 8000, seed: 23 });
    figures.push(['1% vs 1% errors, margin 2 points: early pass (power)', r]);
    expect(r.rate).toBeGreaterThan(0.9);
  });

  it('decides the same as comparing the two confidence bounds, and the bounds hold the observed rates', () => {
    for (const [ce, cn, be, bn] of [[3, 900, 5, 1000], [0, 400, 0, 400], [40, 1000, 10, 1000], [1, 50, 2, 60]]) {
      const input = { candidate: { errors: ce, requests: cn }, baseline: { errors: be, requests: bn }, margin: 0.02, alpha: ALPHA };
      expect(nonInferiorityShown(input)).toBe(errorRateNonInferiority(input).shown);
      const upper = bernoulliCsBound({ hits: ce, trials: cn, alpha: ALPHA / 2, end: 'upper' });
      const lower = bernoulliCsBound({ hits: ce, trials: cn, alpha: ALPHA / 2, end: 'lower' });
      expect(lower).toBeLessThanOrEqual(ce / cn);
      expect(upper).toBeGreaterThanOrEqual(ce / cn);
    }
  });
});
