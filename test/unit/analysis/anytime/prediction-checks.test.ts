/**
 * The score-distribution and shadow-agreement checks under continuous monitoring: judged after
 * every scored row, 2000 seeded trials for each false-alarm figure, with the effect-size gate off
 * (PSI limit 0) so the e-process alone is measured. Power at the level a default rollout gives each
 * check (0.0004 canary; 0.01 / 2 watches / 3 checks in shadow mode).
 */
import { judgeAgreement, judgeScoreShift } from '../../../../src/domain/analysis/prediction-checks';
import { alphaPerCheck } from '../../../../src/domain/analysis/alpha-budget';
import { SloSpecSchema } from '../../../../src/domain/spec';
import { categorical, emptySummary, simulate, table, type SimulationResult } from './simulate';

const TRIALS = 2000;
const POWER_TRIALS = 300;
const ALPHA = 0.05;
const CANARY = alphaPerCheck({ alpha: 0.01, watches: 5, compareWithBaseline: true, mode: 'canary' });
const SHADOW = alphaPerCheck({ alpha: 0.01, watches: 2, compareWithBaseline: true, mode: 'shadow' });
/** A skewed score distribution over the 10 bins, shaped like a credit model's scores, and the same shifted up by two bins. */
const SHAPE = [0.3, 0.2, 0.13, 0.1, 0.08, 0.06, 0.05, 0.04, 0.025, 0.015];
const SHIFTED = [0, 0, 0.3, 0.2, 0.13, 0.1, 0.08, 0.06, 0.05, 0.08];
const figures: Array<[string, SimulationResult]> = [];

function scores(opts: { candidate: number[]; psiLimit: number; alphaCheck: number; seed: number; trials: number; horizon: number }): SimulationResult {
  const slo = SloSpecSchema.parse({ maxPredictionPsi: opts.psiLimit });
  return simulate({
    trials: opts.trials, horizon: opts.horizon, seed: opts.seed,
    trial: (rand) => {
      const c = emptySummary('cand');
      const b = emptySummary('base');
      let nc = 0;
      let nb = 0;
      return () => {
        const toCandidate = rand() < 0.5;
        if (toCandidate) {
          c.scoreHistogram[categorical(rand, opts.candidate)]++;
          nc++;
        } else {
          b.scoreHistogram[categorical(rand, SHAPE)]++;
          nb++;
        }
        return nc > 0 && nb > 0 && judgeScoreShift({ candidate: c, baseline: b, slo, alphaCheck: opts.alphaCheck }).breach;
      };
    },
  });
}

function agreement(rate: number, alphaCheck: number, seed: number, trials: number, horizon: number): SimulationResult {
  const slo = SloSpecSchema.parse({});
  return simulate({
    trials, horizon, seed,
    trial: (rand) => {
      let compared = 0;
      let agreed = 0;
      return () => {
        compared++;
        if (rand() < rate) agreed++;
        return judgeAgreement({ compared, agreed, slo, alphaCheck }).breach;
      };
    },
  });
}

afterAll(() => console.log(table('prediction checks, judged after every scored row', figures)));

describe('prediction checks under continuous monitoring', () => {
  it('fail at most alpha of candidates with the same score distribution as the baseline', () => {
    const r = scores({ candidate: SHAPE, psiLimit: 0, alphaCheck: ALPHA, seed: 21, trials: TRIALS, horizon: 400 });
    figures.push([`prediction-psi, same distribution, PSI gate off, alpha ${ALPHA} (400 rows)`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('fail at most alpha of shadow candidates that agree with stable exactly at minAgreement', () => {
    const r = agreement(0.9, ALPHA, 22, TRIALS, 600);
    figures.push([`shadow-agreement, agreement = minimum 90%, alpha ${ALPHA} (600 rows)`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('detect a score distribution shifted by two bins within a few hundred rows, with the default PSI limit', () => {
    const r = scores({ candidate: SHIFTED, psiLimit: 0.25, alphaCheck: CANARY, seed: 23, trials: POWER_TRIALS, horizon: 1000 });
    figures.push([`prediction-psi, shifted two bins, PSI limit 0.25, alpha ${CANARY} (${POWER_TRIALS} trials)`, r]);
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
    expect(r.median).toBeLessThan(300);
  });

  it('detect a shadow candidate agreeing on 75% of rows against a 90% minimum', () => {
    const r = agreement(0.75, SHADOW, 24, POWER_TRIALS, 2000);
    figures.push([`shadow-agreement, 75% vs minimum 90%, alpha ${SHADOW.toPrecision(2)} (${POWER_TRIALS} trials)`, r]);
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
  });
});
