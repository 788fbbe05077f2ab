/**
 * Anytime-valid e-processes for counts: each function maps cumulative counts to an e-value E_t
 * such that, under its null, P(E_t >= 1/a for SOME t) <= a (Ville's inequality). So the watch may
 * judge them at every poll, as often as it likes, and stop the moment one crosses 1/a.
 *
 * All of them have one shape, "mixture likelihood over the null's maximum likelihood":
 *
 *   E_t = m(x_1..x_t) / sup_{theta in H0} L_theta(x_1..x_t)
 *
 * where m is the marginal likelihood under a conjugate prior (Beta for two outcomes, Dirichlet for
 * K): m = B(prior + counts) / B(prior), B the multivariate Beta function. m is a product of
 * Bayesian predictive probabilities, so for every fixed theta in H0, m / L_theta is a test
 * martingale; dividing by the sup over H0 only makes E_t smaller. E_t is therefore an e-process for
 * the composite null. Sources:
 * - Wasserman, Ramdas and Balakrishnan, "Universal inference", PNAS 117(29), 2020: the anytime-valid
 *   (sequential) version, with a predictable or mixture numerator and the null's MLE at time t in the
 *   denominator, is upper-bounded by a test martingale under every theta in H0.
 * - The Dirichlet-multinomial marginal m = B(alpha + n) / B(alpha) is the one Lindon and Malek use,
 *   "Anytime-Valid Inference for Multinomial Count Data", NeurIPS 2022 (arXiv 2011.03567), and
 *   savvi's `Multinomial` (log B(alpha + counts) - log B(alpha), via gammaln);
 *   their Bayes factor divides it by the likelihood of a KNOWN split, ours by the null's MLE, because
 *   the watch does not know the split (shadow sampling, sticky routing) and conditions on which arm
 *   each request went to instead.
 * - Ville's inequality: Ville 1939; see Ramdas et al., "Game-theoretic statistics and safe
 *   anytime-valid inference", Statistical Science 2023, section 2.
 * Because m and the MLE depend on the data only through the counts, E_t is a function of the
 * cumulative counts of the step's window: that is all the gateway reports.
 *
 * Pure and deterministic (log space throughout, lgamma from `../stats/gamma`).
 */
import { lgamma } from '../stats/gamma';

/**
 * lgamma at half-integers (k / 2), memoised: with Jeffreys' prior every argument of the two-arm
 * marginals is one (counts + 1/2, totals + 1), and the ratio check evaluates dozens of them per
 * poll. A pure cache of a pure function: deterministic, so still sandbox-safe.
 */
const HALF_CACHE_LIMIT = 1 << 18;
const halfCache: number[] = new Array<number>(HALF_CACHE_LIMIT).fill(NaN);
function lgammaAt(x: number): number {
  const k = 2 * x;
  if ((k | 0) !== k || k <= 0 || k >= HALF_CACHE_LIMIT) return lgamma(x);
  let v = halfCache[k];
  if (v !== v) {
    v = lgamma(x);
    halfCache[k] = v;
  }
  return v;
}

/** ln B(v) = sum ln Gamma(v_i) - ln Gamma(sum v_i), the multivariate Beta function. */
export function logMultiBeta(v: readonly number[]): number {
  let sum = 0;
  let acc = 0;
  for (const x of v) {
    acc += lgamma(x);
    sum += x;
  }
  return acc - lgamma(sum);
}

/** ln of the Dirichlet-multinomial marginal likelihood of a sequence with these counts: ln B(prior + n) - ln B(prior). */
export function logMarginal(counts: readonly number[], prior: readonly number[]): number {
  let acc = 0;
  let n = 0;
  let a = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) acc += lgammaAt(counts[i] + prior[i]) - lgammaAt(prior[i]);
    n += counts[i];
    a += prior[i];
  }
  return acc - (lgammaAt(a + n) - lgammaAt(a));
}

/** ln of the multinomial likelihood of a sequence with these counts at probabilities p (0 * ln 0 = 0). */
export function logLikelihood(counts: readonly number[], p: readonly number[]): number {
  let acc = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) acc += counts[i] * Math.log(p[i]);
  return acc;
}

/** ln of the likelihood at the maximum likelihood estimate (the empirical shares). */
export function logMaxLikelihood(counts: readonly number[]): number {
  let total = 0;
  for (const n of counts) total += n;
  let acc = 0;
  for (const n of counts) if (n > 0) acc += n * Math.log(n / total);
  return acc;
}

export const Side = { above: 'above', below: 'below' } as const;
export type Side = (typeof Side)[keyof typeof Side];

/**
 * One Bernoulli arm against a limit: H0 is "the true share is at most p0" (`above`: alarm when it
 * is above) or "at least p0" (`below`). The prior is Beta(c p0, c (1 - p0)) with c = 1 / min(p0, 1 - p0):
 * its mean is the limit, with one pseudo-observation on the rarer side. This is Robbins'
 * beta-binomial mixture (Robbins, "Statistical methods related to the law of the iterated
 * logarithm", Ann. Math. Statist. 1970; the "beta-binomial" boundary of
 * Howard, Ramdas, McAuliffe and Sekhon, Ann. Statist. 2021) with the universal-inference
 * denominator for the one-sided composite null.
 */
export function bernoulliLimitLogE(opts: { successes: number; trials: number; p0: number; side: Side }): number {
  const { successes: s, trials: n, p0, side } = opts;
  const f = n - s;
  if (n === 0) return 0;
  // Degenerate limits: a share of 0 allowed and one success seen (or 1 and one failure) is certain evidence.
  if (p0 <= 0) return side === 'above' && s > 0 ? Infinity : 0;
  if (p0 >= 1) return side === 'below' && f > 0 ? Infinity : 0;
  const c = 1 / Math.min(p0, 1 - p0);
  const a = c * p0;
  const b = c * (1 - p0);
  // The marginal ln B(a + s, b + f) - ln B(a, b), written out: this runs for every histogram bound at every poll.
  const m = lgamma(a + s) + lgamma(b + f) - lgamma(c + n) - (lgamma(a) + lgamma(b) - lgamma(c));
  const onAlarmSide = side === 'above' ? s / n > p0 : s / n < p0;
  // Off the alarm side the null's MLE is the unconstrained one, and then E <= 1: no evidence.
  const denominator = onAlarmSide ? logLikelihood([s, f], [p0, 1 - p0]) : logMaxLikelihood([s, f]);
  return m - denominator;
}

/** Jeffreys' prior Dirichlet(1/2, ..., 1/2): the Krichevsky-Trofimov mixture, with minimax regret about (K-1)/2 ln n. */
const JEFFREYS = 0.5;

/**
 * Two arms, K categories each (error/ok, or score bins): H0 is "both arms draw from the same
 * categorical distribution", conditioning on which arm each observation went to. Numerator: the two
 * arms' Dirichlet marginals, independent; denominator: the pooled MLE, which is the null's MLE.
 */
export function homogeneityLogE(a: readonly number[], b: readonly number[]): number {
  const prior = new Array<number>(a.length).fill(JEFFREYS);
  const pooled = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) pooled[i] = a[i] + b[i];
  return logMarginal(a, prior) + logMarginal(b, prior) - logMaxLikelihood(pooled);
}

/** n ln n for integer counts, memoised like `lgammaAt` (0 ln 0 = 0). */
const xlogxCache: number[] = new Array<number>(HALF_CACHE_LIMIT).fill(NaN);
function xlogx(n: number): number {
  if (n <= 0) return 0;
  if ((n | 0) !== n || n >= HALF_CACHE_LIMIT) return n * Math.log(n);
  let v = xlogxCache[n];
  if (v !== v) {
    v = n * Math.log(n);
    xlogxCache[n] = v;
  }
  return v;
}

const LGAMMA_HALF = lgamma(JEFFREYS);

/** ln of the Krichevsky-Trofimov (Jeffreys) marginal of a binary sequence with s hits and f misses: `logMarginal([s, f], [1/2, 1/2])`, without allocating. */
function ktLogMarginal(s: number, f: number): number {
  return lgammaAt(s + JEFFREYS) + lgammaAt(f + JEFFREYS) - 2 * LGAMMA_HALF - lgammaAt(s + f + 1);
}

/** ln of the binary likelihood at its MLE: `logMaxLikelihood([s, f])`, without allocating. */
function binaryLogMaxLikelihood(s: number, f: number): number {
  return xlogx(s) + xlogx(f) - xlogx(s + f);
}

/**
 * Two Bernoulli arms, one-sided: H0 is "the candidate's share is at most the baseline's". When the
 * candidate's observed share is not above the baseline's, the null's MLE is the unconstrained one
 * and E <= 1; otherwise the constrained MLE sits on the boundary p_c = p_b, the pooled share (the
 * binomial log-likelihood is concave), and E is the two-sided homogeneity e-value. Written out
 * without arrays: the latency-ratio check runs it for dozens of thresholds at every poll.
 */
export function increaseLogE(opts: { candidate: { hits: number; trials: number }; baseline: { hits: number; trials: number } }): number {
  return increaseLogEOf(opts.candidate.hits, opts.candidate.trials, opts.baseline.hits, opts.baseline.trials);
}

/** `increaseLogE` with positional counts, for loops over many thresholds. */
export function increaseLogEOf(cHits: number, cTrials: number, bHits: number, bTrials: number): number {
  const cf = cTrials - cHits;
  const bf = bTrials - bHits;
  const marginals = ktLogMarginal(cHits, cf) + ktLogMarginal(bHits, bf);
  const above = cTrials > 0 && bTrials > 0 && cHits * bTrials > bHits * cTrials;
  if (above) return marginals - binaryLogMaxLikelihood(cHits + bHits, cf + bf);
  return marginals - binaryLogMaxLikelihood(cHits, cf) - binaryLogMaxLikelihood(bHits, bf);
}

/** e-values are reported as numbers; Infinity does not survive JSON, so cap the log. */
export function reportE(logE: number): number {
  return Math.exp(Math.min(logE, 700));
}
