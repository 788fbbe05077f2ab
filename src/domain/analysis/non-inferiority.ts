/**
 * Early pass for a canary step: is the candidate's error rate shown to be at most the baseline's
 * plus a margin, anytime-valid? Pure.
 *
 * Per arm, a confidence sequence for a Bernoulli rate from the same mixture as `./e-processes`:
 * with the Jeffreys prior Beta(1/2, 1/2), m(s, f) = B(s + 1/2, f + 1/2) / B(1/2, 1/2) is the
 * mixture likelihood, and for every fixed p, m / L_p (L_p = p^s (1 - p)^f) is a test martingale
 * under p. By Ville's inequality P(m / L_p >= 1/a at SOME n) <= a, so
 *
 *   CS_n = { p : ln m(s, f) - ln L_p(s, f) < ln(1/a) }
 *
 * covers the true rate at every n at once with probability >= 1 - a; it is an interval around the
 * MLE, because ln L_p is concave in p. This is Robbins' beta-binomial mixture confidence sequence
 * (Robbins, Ann. Math. Statist. 41(5), 1970; the "beta-binomial" boundary of Howard, Ramdas,
 * McAuliffe and Sekhon, Ann. Statist. 49(2), 2021). Candidate at level alpha/2, baseline at
 * alpha/2: with probability >= 1 - alpha both hold at every poll, and then p_c - p_b <= U_c - L_b.
 * The step passes early once U_c - L_b < margin, so under the null "the candidate is worse by at
 * least the margin" (p_c - p_b >= margin) a false early pass needs one sequence to miss: at most
 * alpha, however often it is judged.
 */
import { logLikelihood, logMarginal } from './e-processes';

const JEFFREYS = [0.5, 0.5] as const;
/** Bisection steps: 2^-30 of the unit interval, far below any margin in use. */
const STEPS = 30;

/** ln m - ln L_p: the e-value against "the rate is p"; p is in the CS while it is below ln(1/a). */
function logEAgainst(hits: number, trials: number, p: number, logM: number): number {
  return logM - logLikelihood([hits, trials - hits], [p, 1 - p]);
}

/** The CS's lower (`lower`) or upper (`upper`) end at level a, by bisection between the MLE and 0 or 1. */
export function bernoulliCsBound(o: { hits: number; trials: number; alpha: number; end: 'lower' | 'upper' }): number {
  if (o.trials === 0) return o.end === 'lower' ? 0 : 1;
  const logM = logMarginal([o.hits, o.trials - o.hits], JEFFREYS);
  const threshold = Math.log(1 / o.alpha);
  const edge = o.end === 'lower' ? 0 : 1;
  // The edge itself is outside only when its likelihood vanishes (a hit rules out 0, a miss rules out 1).
  if (logEAgainst(o.hits, o.trials, edge, logM) < threshold) return edge;
  let inside = o.hits / o.trials;
  let outside = edge;
  for (let i = 0; i < STEPS; i++) {
    const mid = (inside + outside) / 2;
    if (logEAgainst(o.hits, o.trials, mid, logM) < threshold) inside = mid;
    else outside = mid;
  }
  return outside;
}

export interface NonInferiority {
  /** True once the candidate's error rate is shown at most the baseline's plus the margin. */
  shown: boolean;
  /** Upper confidence bound on p_candidate - p_baseline. */
  upperDifference: number;
}

export interface NonInferiorityInput {
  candidate: { errors: number; requests: number };
  baseline: { errors: number; requests: number };
  /** How much higher the candidate's error rate may be (absolute share). */
  margin: number;
  alpha: number;
}

/**
 * The decision alone, at half the cost (the watch and the simulations judge it at every poll):
 * U_c < L_b + margin exactly when p* = L_b + margin lies above the candidate's MLE and outside its
 * CS, since the CS is an interval around the MLE.
 */
export function nonInferiorityShown(o: NonInferiorityInput): boolean {
  const { errors: s, requests: n } = o.candidate;
  if (n === 0) return false;
  const target = bernoulliCsBound({ hits: o.baseline.errors, trials: o.baseline.requests, alpha: o.alpha / 2, end: 'lower' }) + o.margin;
  if (target >= 1 || s / n >= target) return false;
  const logM = logMarginal([s, n - s], JEFFREYS);
  return logEAgainst(s, n, target, logM) >= Math.log(2 / o.alpha);
}

/** Both bounds, for the evidence a person reads. */
export function errorRateNonInferiority(o: NonInferiorityInput): NonInferiority {
  const upper = bernoulliCsBound({ hits: o.candidate.errors, trials: o.candidate.requests, alpha: o.alpha / 2, end: 'upper' });
  const lower = bernoulliCsBound({ hits: o.baseline.errors, trials: o.baseline.requests, alpha: o.alpha / 2, end: 'lower' });
  const upperDifference = upper - lower;
  return { shown: upperDifference < o.margin, upperDifference };
}
