/**
 * Pearson chi-square test of homogeneity for two histograms over the same ordered bins: "do both
 * samples come from one distribution?". Adjacent bins are pooled until every cell's expected count
 * reaches `minExpected`, the textbook condition for the chi-square approximation; without pooling a
 * thin canary's empty bins make the statistic (and any divergence built on shares, such as PSI with
 * an epsilon floor) look significant when both sides are the same model. Pure.
 */
import { chiSquareSurvival } from './chi-square';

export interface HomogeneityResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Bins left after pooling. */
  bins: number;
}

/** Pools adjacent bins (in order) until each pooled bin's smaller expected count is at least `minExpected`. */
function poolBins(a: readonly number[], b: readonly number[], minExpected: number): Array<[number, number]> {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const share = Math.min(na, nb) / (na + nb);
  const cols: Array<[number, number]> = [];
  let ca = 0;
  let cb = 0;
  for (let i = 0; i < a.length; i++) {
    ca += a[i];
    cb += b[i];
    if ((ca + cb) * share >= minExpected) {
      cols.push([ca, cb]);
      ca = 0;
      cb = 0;
    }
  }
  // The thin tail joins the last full bin rather than standing alone.
  if (ca + cb > 0) {
    const last = cols.at(-1);
    if (last) {
      last[0] += ca;
      last[1] += cb;
    } else cols.push([ca, cb]);
  }
  return cols;
}

export function chiSquareHomogeneity(a: readonly number[], b: readonly number[], options: { minExpected?: number } = {}): HomogeneityResult {
  if (a.length !== b.length) throw new Error(`chiSquareHomogeneity: histograms differ in bin count (${a.length} vs ${b.length})`);
  const cols = poolBins(a, b, options.minExpected ?? 5);
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const n = na + nb;
  let statistic = 0;
  for (const [x, y] of cols) {
    const ea = ((x + y) * na) / n;
    const eb = ((x + y) * nb) / n;
    if (ea > 0) statistic += (x - ea) ** 2 / ea;
    if (eb > 0) statistic += (y - eb) ** 2 / eb;
  }
  const degreesOfFreedom = Math.max(1, cols.length - 1);
  // One pooled bin means nothing to compare: no evidence of a difference.
  const pValue = cols.length < 2 ? 1 : chiSquareSurvival(statistic, degreesOfFreedom);
  return { statistic, degreesOfFreedom, pValue, bins: cols.length };
}
