/**
 * Chi-squared test of homogeneity between the reference's category counts and the current
 * column's (a 2 x k contingency table). Pure and deterministic (sandbox-safe).
 *
 * Why two-sample rather than goodness-of-fit against the reference shares: the reference is itself a
 * finite sample, and a category it never saw would have expected count 0 in a goodness-of-fit test,
 * making the statistic infinite. Pooled expectations keep it finite and honest.
 */
import { chiSquaredSf } from '../stats/gamma';

export interface ChiSquaredResult {
  statistic: number;
  /** (categories seen on either side) - 1. */
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-squared on two count vectors over the same categories, as
 * `scipy.stats.chi2_contingency([reference, current], correction=False)`: no Yates correction.
 * Categories empty on both sides are dropped. With one category, or an empty side, there is no
 * evidence of a difference: statistic 0, p = 1.
 */
export function chiSquaredHomogeneity(reference: readonly number[], current: readonly number[]): ChiSquaredResult {
  if (reference.length !== current.length) throw new Error(`chiSquaredHomogeneity: ${reference.length} reference vs ${current.length} current categories`);
  const rTotal = reference.reduce((s, x) => s + x, 0);
  const cTotal = current.reduce((s, x) => s + x, 0);
  const total = rTotal + cTotal;
  let statistic = 0;
  let seen = 0;
  for (let i = 0; i < reference.length; i++) {
    const column = reference[i] + current[i];
    if (column === 0) continue;
    seen++;
    const eR = (column * rTotal) / total;
    const eC = (column * cTotal) / total;
    statistic += (reference[i] - eR) ** 2 / eR + (current[i] - eC) ** 2 / eC;
  }
  const df = seen - 1;
  if (rTotal === 0 || cTotal === 0 || df < 1) return { statistic: 0, df: Math.max(df, 0), pValue: 1 };
  return { statistic, df, pValue: chiSquaredSf(statistic, df) };
}
