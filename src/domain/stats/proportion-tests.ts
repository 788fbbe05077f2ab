/**
 * One-sided tests on proportions, used so that a few unlucky requests cannot fail a healthy rollout:
 * a check fails only when the difference is both over its limit and statistically significant. Pure.
 */
import { normalCdf } from './normal';

export interface TestResult {
  /** Test statistic (z), or NaN for the exact test. */
  statistic: number;
  pValue: number;
}

/**
 * Two-proportion z-test (pooled), H1: p1 > p2. `x1` of `n1` (candidate) vs `x2` of `n2` (baseline).
 * With no variance (both 0% or both 100%) there is no evidence of an increase: p = 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (n1 <= 0 || n2 <= 0) return { statistic: NaN, pValue: 1 };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: 1 - normalCdf(z) };
}

function logFactorialTable(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) t[i] = t[i - 1] + Math.log(i);
  return t;
}

/**
 * Exact binomial upper tail P(X >= k) for X ~ Bin(n, p): H1 is "the true share is above p".
 * Exact rather than a normal approximation because the shares tested (1% tails, 2% errors) are
 * small, where the approximation is poor for the sample sizes a canary sees.
 */
export function binomialUpperTail(k: number, n: number, p: number): TestResult {
  if (k <= 0) return { statistic: NaN, pValue: 1 };
  if (k > n) return { statistic: NaN, pValue: 0 };
  if (p <= 0) return { statistic: NaN, pValue: 0 };
  if (p >= 1) return { statistic: NaN, pValue: 1 };
  const lf = logFactorialTable(n);
  const lp = Math.log(p);
  const lq = Math.log(1 - p);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(lf[n] - lf[i] - lf[n - i] + i * lp + (n - i) * lq);
    sum += term;
    if (term < sum * 1e-15 && i > n * p) break;
  }
  return { statistic: NaN, pValue: Math.min(1, sum) };
}

/** Exact binomial lower tail P(X <= k): H1 is "the true share is below p". */
export function binomialLowerTail(k: number, n: number, p: number): TestResult {
  if (k >= n) return { statistic: NaN, pValue: 1 };
  return { statistic: NaN, pValue: 1 - binomialUpperTail(k + 1, n, p).pValue };
}

/**
 * Fisher's exact test, one-sided (H1: candidate share x1/n1 is above baseline x2/n2): the
 * hypergeometric upper tail of x1 given the pooled events. Used when counts are small.
 */
export function fisherExactGreater(x1: number, n1: number, x2: number, n2: number): TestResult {
  const total = n1 + n2;
  const events = x1 + x2;
  if (n1 <= 0 || n2 <= 0 || events === 0) return { statistic: NaN, pValue: 1 };
  const lf = logFactorialTable(total);
  const lc = (n: number, k: number) => lf[n] - lf[k] - lf[n - k];
  const denom = lc(total, n1);
  let p = 0;
  for (let x = x1; x <= Math.min(events, n1); x++) p += Math.exp(lc(events, x) + lc(total - events, n1 - x) - denom);
  return { statistic: NaN, pValue: Math.min(1, p) };
}

/**
 * One-sided test that the candidate's event share is above the baseline's: the z-test when every
 * expected cell count is at least 5 (where its normal approximation holds), Fisher's exact test otherwise.
 */
export function proportionIncreaseTest(x1: number, n1: number, x2: number, n2: number): TestResult & { method: 'z' | 'fisher' } {
  const pooled = (x1 + x2) / Math.max(1, n1 + n2);
  const minExpected = Math.min(n1 * pooled, n2 * pooled, n1 * (1 - pooled), n2 * (1 - pooled));
  return minExpected >= 5 ? { ...twoProportionZTest(x1, n1, x2, n2), method: 'z' } : { ...fisherExactGreater(x1, n1, x2, n2), method: 'fisher' };
}
