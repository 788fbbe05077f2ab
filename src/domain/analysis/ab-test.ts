/**
 * The A/B experiment's sequential test: an anytime-valid confidence sequence (CS) for the KPI
 * difference Delta = mu_candidate - mu_control, from each arm's running count and sum of feedback
 * values. It may be judged after every observation, as often as the watch likes. Pure.
 *
 * Per arm: the values are bounded in [min, max] (a conversion is 0/1), so by Hoeffding's lemma
 * X - mu is sub-Gaussian with variance proxy sigma^2 = (max - min)^2 / 4, and for every lambda
 * exp(lambda S_n - lambda^2 sigma^2 n / 2), S_n = sum (X_i - mu), is a nonnegative supermartingale.
 * Mixing lambda over N(0, 1/rho) gives the test supermartingale
 *
 *   M_n = sqrt(rho / (v + rho)) * exp(S_n^2 / (2 (v + rho))),   v = sigma^2 n,
 *
 * and Ville's inequality, P(M_n >= 1/a for some n) <= a, turns it into the two-sided normal mixture
 * boundary: with probability at least 1 - a, for EVERY n at once,
 *
 *   |S_n| < sqrt((v + rho) * log((v + rho) / (rho a^2))).
 *
 * Sources: Robbins, "Statistical methods related to the law of the iterated logarithm", Ann. Math.
 * Statist. 41(5), 1970 (the normal mixture); Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2), 2021 (arXiv 1810.08240),
 * the two-sided normal mixture boundary for sub-Gaussian processes, and their confseq package:
 * `TwoSidedNormalMixture::bound` is sqrt((v + rho)(log(1 + v / rho) + 2 log(1 / a))), the same
 * expression, and `best_rho(v, a) = v / (2 log(1/a) + log(1 + 2 log(1/a)))` picks rho so the
 * boundary is tightest at intrinsic time v (used below with v at the sample size where an effect of
 * `minEffect` would be seen).
 *
 * Difference: each arm's CS at level alpha / 2; by the union bound both hold at every n with
 * probability at least 1 - alpha, and then Delta lies in [L_c - U_b, U_c - L_b] at every n. The
 * arms are independent given the (outcome-blind) sticky assignment, each arm's CS runs on its own
 * count, so the interleaving of the two streams does not matter.
 *
 * Verdict: `winner` once the lower bound is above 0, `loser` once the upper bound is below 0. Both
 * are errors only if the CS ever misses Delta, so P(false winner or false loser, ever) <= alpha.
 * `no-effect` (the CS inside (-minEffect, minEffect)) ends the experiment early as inconclusive:
 * no effect as large as the one of interest.
 */

export interface ArmTally {
  /** Feedback values received for this arm. */
  n: number;
  /** Their sum. */
  sum: number;
}

export interface KpiBounds {
  min: number;
  max: number;
}

export interface DifferenceCs {
  /** Observed difference of means (candidate - control); null until both arms have a value. */
  estimate: number | null;
  lower: number;
  upper: number;
}

/** Half-width of the two-sided normal-mixture boundary on |S_n| (see the file comment). */
export function normalMixtureBoundary(v: number, rho: number, alpha: number): number {
  return Math.sqrt((v + rho) * (Math.log(1 + v / rho) + 2 * Math.log(1 / alpha)));
}

/** confseq's `best_rho`: the mixture precision whose boundary is tightest at intrinsic time v. */
export function bestRho(v: number, alpha: number): number {
  const l = Math.log(1 / alpha);
  return v / (2 * l + Math.log(1 + 2 * l));
}

/**
 * The intrinsic time the mixture is tuned for: the per-arm count at which the difference CS would be
 * about `minEffect` wide on each side with equal arms (half-width of each arm about
 * sqrt(2 sigma^2 log(1/a) / n), two arms add), times sigma^2. Tuning only moves where the CS is
 * tightest; every rho > 0 gives the same guarantee.
 */
export function tunedRho(bounds: KpiBounds, alphaArm: number, minEffect: number): number {
  const sigma2 = ((bounds.max - bounds.min) ** 2) / 4;
  const n = Math.max(1, (8 * sigma2 * Math.log(1 / alphaArm)) / (minEffect * minEffect));
  return bestRho(sigma2 * n, alphaArm);
}

/** One arm's CS for its mean, clipped to the value bounds (the mean lies there anyway). */
export function armCs(arm: ArmTally, bounds: KpiBounds, alphaArm: number, rho: number): { mean: number | null; lower: number; upper: number } {
  if (arm.n === 0) return { mean: null, lower: bounds.min, upper: bounds.max };
  const sigma2 = ((bounds.max - bounds.min) ** 2) / 4;
  const mean = arm.sum / arm.n;
  const half = normalMixtureBoundary(sigma2 * arm.n, rho, alphaArm) / arm.n;
  return { mean, lower: Math.max(bounds.min, mean - half), upper: Math.min(bounds.max, mean + half) };
}

export interface DifferenceInput {
  candidate: ArmTally;
  control: ArmTally;
  bounds: KpiBounds;
  /** The experiment's level: P(the CS ever misses the true difference) <= alpha. */
  alpha: number;
  /** The smallest difference worth acting on (in KPI units); tunes the mixture. */
  minEffect: number;
}

/** The (1 - alpha) confidence sequence for mu_candidate - mu_control at the current counts. */
export function differenceCs(i: DifferenceInput): DifferenceCs {
  const alphaArm = i.alpha / 2;
  const rho = tunedRho(i.bounds, alphaArm, i.minEffect);
  const c = armCs(i.candidate, i.bounds, alphaArm, rho);
  const b = armCs(i.control, i.bounds, alphaArm, rho);
  return { estimate: c.mean === null || b.mean === null ? null : c.mean - b.mean, lower: c.lower - b.upper, upper: c.upper - b.lower };
}

export const ExperimentCall = { winner: 'winner', loser: 'loser', noEffect: 'no-effect', running: 'running' } as const;
export type ExperimentCall = (typeof ExperimentCall)[keyof typeof ExperimentCall];

/** What the CS says now; the watch stops on anything but `running`. */
export function callExperiment(cs: DifferenceCs, minEffect: number): ExperimentCall {
  if (cs.lower > 0) return 'winner';
  if (cs.upper < 0) return 'loser';
  if (cs.lower > -minEffect && cs.upper < minEffect) return 'no-effect';
  return 'running';
}
