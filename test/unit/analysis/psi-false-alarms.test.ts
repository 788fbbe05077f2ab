/**
 * The false-alarm rate of the prediction-PSI check, measured on two samples of ONE score
 * distribution (the same model on both sides) with the project's seeded PRNG, so the figures are
 * the same on every run. A check that fails identical models more often than its alpha would roll
 * back healthy canaries; this pins it at alpha (0.01) within sampling error, for thin and thick canaries.
 */
import { predictionPsiCheck } from '../../../src/domain/analysis/prediction-checks';
import { SloSpecSchema } from '../../../src/domain/spec';
import { buildSummary, scoresFrom, seeded } from './summary-builder';

const slo = SloSpecSchema.parse({});
const TRIALS = 2000;

function falseAlarmRate(n: number, seed: number): number {
  const rand = seeded(seed);
  let fails = 0;
  for (let t = 0; t < TRIALS; t++) {
    const side = (version: string) => buildSummary({ version, latencies: [], errors: 0, scores: scoresFrom(n, rand) });
    if (predictionPsiCheck({ candidate: side('cand'), baseline: side('base'), slo }).verdict === 'fail') fails++;
  }
  return fails / TRIALS;
}

describe('prediction-PSI check on identical score distributions', () => {
  it.each([30, 100, 300])('fails at most alpha plus sampling error of %i-request canaries', (n) => {
    // 2000 trials at p = 0.01: the standard error is 0.0022, so 0.017 is three of them above alpha.
    expect(falseAlarmRate(n, 1000 + n)).toBeLessThanOrEqual(slo.alpha + 0.007);
  });
});
