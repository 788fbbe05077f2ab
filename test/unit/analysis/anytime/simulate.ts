/**
 * Test helper: seeded simulations of one check judged after EVERY observation (continuous
 * monitoring, the worst case of the watch's 250 ms polls). A trial alarms the first time the check
 * says `fail`; the figures are the share of trials that alarmed and how many observations it took.
 */
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_BINS, histogramQuantile } from '../../../../src/domain/stats/histogram';
import type { VersionSummary } from '../../../../src/domain/analysis/window-summary';
import { mulberry32 } from '../../../../src/domain/data/prng';

export interface SimulationResult {
  trials: number;
  alarms: number;
  rate: number;
  /** Observations until the alarm, over the trials that alarmed (sorted). */
  toAlarm: number[];
  median: number | null;
}

/** One trial: `step` adds an observation and returns true when the check now fails. */
export function simulate(opts: { trials: number; horizon: number; seed: number; trial: (rand: () => number) => (i: number) => boolean }): SimulationResult {
  const rand = mulberry32(opts.seed);
  const toAlarm: number[] = [];
  for (let t = 0; t < opts.trials; t++) {
    const step = opts.trial(rand);
    for (let i = 1; i <= opts.horizon; i++) {
      if (step(i)) {
        toAlarm.push(i);
        break;
      }
    }
  }
  toAlarm.sort((a, b) => a - b);
  const median = toAlarm.length ? toAlarm[Math.floor((toAlarm.length - 1) / 2)] : null;
  return { trials: opts.trials, alarms: toAlarm.length, rate: toAlarm.length / opts.trials, toAlarm, median };
}

/** One candidate arm: each step adds an observation with `observe`, then asks `judge` (the seeded stream is used as `simulate` uses it). */
export function simulateOneArm(opts: {
  trials: number; horizon: number; seed: number;
  observe: (c: VersionSummary, rand: () => number) => void;
  judge: (c: VersionSummary) => boolean;
}): SimulationResult {
  return simulate({
    trials: opts.trials, horizon: opts.horizon, seed: opts.seed,
    trial: (rand) => {
      const c = emptySummary('cand');
      return () => {
        opts.observe(c, rand);
        return opts.judge(c);
      };
    },
  });
}

/** A mutable VersionSummary the simulations add observations to. */
export function emptySummary(version: string): VersionSummary {
  return {
    version, requests: 0, errors: 0, meanConfidence: 0.7,
    latencyMs: { p50: 0, p95: 0, p99: 0, mean: 0, histogram: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0) },
    scoreHistogram: new Array<number>(SCORE_BINS).fill(0),
  };
}

/** Keeps the reported p99 in step with the histogram (the checks read both). */
export function refreshP99(s: VersionSummary): void {
  s.latencyMs.p99 = histogramQuantile(s.latencyMs.histogram, 0.99);
}

/** Log-normal latency around `medianMs`. */
export function lognormal(rand: () => number, medianMs: number, sigma = 0.35): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return medianMs * Math.exp(sigma * z);
}

/** One draw from a categorical distribution given by its shares. */
export function categorical(rand: () => number, shares: readonly number[]): number {
  let u = rand();
  for (let i = 0; i < shares.length - 1; i++) {
    if (u < shares[i]) return i;
    u -= shares[i];
  }
  return shares.length - 1;
}

export function table(title: string, rows: Array<[string, SimulationResult]>): string {
  const lines = rows.map(([label, r]) => `  ${label.padEnd(58)} ${String(r.alarms).padStart(5)}/${r.trials}  ${(r.rate * 100).toFixed(2).padStart(6)}%  median ${r.median ?? '-'}`);
  return [title, ...lines].join('\n');
}
