/**
 * The A/B experiment's confidence sequence under continuous monitoring: judged after every feedback
 * value, 2000 seeded trials each. With no true difference the share of trials that EVER call a
 * winner or a loser stays at or below alpha; with the candidate slightly worse, the share that ever
 * calls it a winner does too. A trial ends, as the watch does, at its first call (winner, loser, or
 * no effect of interest). Power: how often, and after how many values, a set effect is called.
 */
import { callExperiment, differenceCs, type ArmTally, type KpiBounds } from '../../../../src/domain/analysis/ab-test';
import { simulate, table, type SimulationResult } from './simulate';

const TRIALS = 2000;
const POWER_TRIALS = 500;
/** Null runs never stop early, so each costs TRIALS x HORIZON judgements: 1000 values keeps them within a minute on a shared 2-core host. */
const HORIZON = 1000;
const ALPHA = 0.05;
const figures: Array<[string, SimulationResult]> = [];

interface Scenario {
  /** Draws one feedback value for an arm. */
  draw: (arm: 'candidate' | 'control', rand: () => number) => number;
  bounds: KpiBounds;
  minEffect: number;
  /** Share of users in the candidate arm. @default 0.5 */
  share?: number;
  /** Which call counts as the alarm. */
  alarmOn: ReadonlyArray<'winner' | 'loser'>;
}

function run(s: Scenario, o: { trials: number; horizon: number; seed: number }): SimulationResult {
  const share = s.share ?? 0.5;
  return simulate({
    ...o,
    trial: (rand) => {
      const c: ArmTally = { n: 0, sum: 0 };
      const b: ArmTally = { n: 0, sum: 0 };
      let stopped = false;
      return () => {
        if (stopped) return false;
        const arm = rand() < share ? 'candidate' : 'control';
        const tally = arm === 'candidate' ? c : b;
        tally.n++;
        tally.sum += s.draw(arm, rand);
        const call = callExperiment(differenceCs({ candidate: c, control: b, bounds: s.bounds, alpha: ALPHA, minEffect: s.minEffect }), s.minEffect);
        if (call === 'running') return false;
        stopped = true;
        return (s.alarmOn as readonly string[]).includes(call);
      };
    },
  });
}

const conversion = (rates: { candidate: number; control: number }) => (arm: 'candidate' | 'control', rand: () => number) => (rand() < rates[arm] ? 1 : 0);
/** A skewed value in [0, 10] (most mass low, like revenue per visit): 10 u^k, mean 10 / (k + 1). */
const skewed = (k: { candidate: number; control: number }) => (arm: 'candidate' | 'control', rand: () => number) => 10 * rand() ** k[arm];
const BINARY: KpiBounds = { min: 0, max: 1 };
const VALUE: KpiBounds = { min: 0, max: 10 };

afterAll(() => console.log(table(`A/B difference CS (alpha ${ALPHA}), judged after every feedback value (${TRIALS} trials of ${HORIZON} values for false calls, ${POWER_TRIALS} of 4000 for power)`, figures)));

describe('the A/B confidence sequence under continuous monitoring', () => {
  it('calls a winner or a loser in at most alpha of experiments whose arms convert at the same rate', () => {
    const r = run({ draw: conversion({ candidate: 0.3, control: 0.3 }), bounds: BINARY, minEffect: 0.05, alarmOn: ['winner', 'loser'] }, { trials: TRIALS, horizon: HORIZON, seed: 11 });
    figures.push(['conversion 30% vs 30%, share 50%: any call (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('calls a winner or a loser in at most alpha of equal-rate experiments with a 20% candidate share', () => {
    const r = run({ draw: conversion({ candidate: 0.1, control: 0.1 }), bounds: BINARY, minEffect: 0.02, share: 0.2, alarmOn: ['winner', 'loser'] }, { trials: TRIALS, horizon: HORIZON, seed: 12 });
    figures.push(['conversion 10% vs 10%, share 20%: any call (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('calls a worse candidate a winner in at most alpha of experiments', () => {
    const r = run({ draw: conversion({ candidate: 0.28, control: 0.3 }), bounds: BINARY, minEffect: 0.05, alarmOn: ['winner'] }, { trials: TRIALS, horizon: HORIZON, seed: 13 });
    figures.push(['conversion 28% vs 30%: winner (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('calls a winner or a loser in at most alpha of experiments whose skewed bounded values have the same mean', () => {
    const r = run({ draw: skewed({ candidate: 3, control: 3 }), bounds: VALUE, minEffect: 0.5, alarmOn: ['winner', 'loser'] }, { trials: TRIALS, horizon: HORIZON, seed: 14 });
    figures.push(['mean of 10u^3 (2.5) vs same: any call (false)', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('calls a candidate that converts 10 points better a winner in most experiments, within a few thousand values', () => {
    const r = run({ draw: conversion({ candidate: 0.4, control: 0.3 }), bounds: BINARY, minEffect: 0.1, alarmOn: ['winner'] }, { trials: POWER_TRIALS, horizon: 4000, seed: 15 });
    figures.push(['conversion 40% vs 30%: winner (power)', r]);
    expect(r.rate).toBeGreaterThan(0.9);
  });

  it('calls a candidate that converts 10 points worse a loser in most experiments', () => {
    const r = run({ draw: conversion({ candidate: 0.2, control: 0.3 }), bounds: BINARY, minEffect: 0.1, alarmOn: ['loser'] }, { trials: POWER_TRIALS, horizon: 4000, seed: 16 });
    figures.push(['conversion 20% vs 30%: loser (power)', r]);
    expect(r.rate).toBeGreaterThan(0.9);
  });

  it('calls a candidate whose mean value is 1.7 higher a winner in most experiments', () => {
    // Candidate 10u (mean 5) against control 10u^2 (mean 3.33).
    const r = run({ draw: skewed({ candidate: 1, control: 2 }), bounds: VALUE, minEffect: 1, alarmOn: ['winner'] }, { trials: POWER_TRIALS, horizon: 4000, seed: 17 });
    figures.push(['mean 5.0 vs 3.33 on [0, 10]: winner (power)', r]);
    expect(r.rate).toBeGreaterThan(0.9);
  });

  it('covers the true difference at every observation in at least 1 - alpha of experiments with unequal rates', () => {
    const truth = 0.45 - 0.4;
    const r = simulate({
      trials: TRIALS, horizon: HORIZON, seed: 18,
      trial: (rand) => {
        const c: ArmTally = { n: 0, sum: 0 };
        const b: ArmTally = { n: 0, sum: 0 };
        return () => {
          const arm = rand() < 0.5 ? c : b;
          arm.n++;
          arm.sum += rand() < (arm === c ? 0.45 : 0.4) ? 1 : 0;
          const cs = differenceCs({ candidate: c, control: b, bounds: BINARY, alpha: ALPHA, minEffect: 0.05 });
          return cs.lower > truth || cs.upper < truth;
        };
      },
    });
    figures.push(['45% vs 40%: CS ever misses the true +5 points', r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });
});
