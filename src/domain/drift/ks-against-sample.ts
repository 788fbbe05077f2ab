/**
 * Two-sample KS test of a large current column against a small, sorted reference sample, without
 * sorting the current column. Pure and deterministic (sandbox-safe).
 *
 * Why: a drift check compares up to millions of current values with a reference sample of a few
 * hundred or thousand. Between two consecutive reference values the reference ECDF is flat, so the
 * supremum of |F_cur - F_ref| is reached either at a reference value or just before the next one;
 * counting, per reference value, the current values strictly below it and equal to it is enough.
 * That is O(n log m + m) instead of O((n+m) log(n+m)), and gives exactly the D of `ksTwoSample`.
 */
import { type KsResult, ksPValue } from './kolmogorov-smirnov';
import { createSortedIndex, locateAll } from './sorted-index';

/** Counts the finite current values strictly inside each gap of the reference (below) and equal to each reference value (at). */
function countAgainst(reference: ArrayLike<number>, values: Float64Array | readonly number[]): { below: Uint32Array; at: Uint32Array; n: number } {
  const m = reference.length;
  // below[k]: values in (reference[k-1], reference[k]); below[m]: values above the largest reference value.
  const below = new Uint32Array(m + 1);
  const at = new Uint32Array(m);
  const codes = locateAll(createSortedIndex(reference), values);
  let n = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) continue;
    n++;
    if (code & 1) at[code >> 1]++;
    else below[code >> 1]++;
  }
  return { below, at, n };
}

/**
 * KS test of `values` (any order; non-finite values ignored) against `sortedReference` (ascending,
 * finite, else a RangeError; typically `NumericStats.sample`). Same result as `ksTwoSample(values, sortedReference)`.
 */
export function ksAgainstSortedSample(sortedReference: ArrayLike<number>, values: Float64Array | readonly number[]): KsResult & { n: number } {
  const m = sortedReference.length;
  const { below, at, n } = countAgainst(sortedReference, values);
  if (n === 0 || m === 0) return { d: 0, pValue: 1, n };
  let cur = 0;
  let d = 0;
  for (let j = 0; j < m; ) {
    // Tied reference values form one step of the reference ECDF; lowerBound put their current counts at the group's first index.
    let end = j + 1;
    while (end < m && sortedReference[end] === sortedReference[j]) end++;
    cur += below[j];
    d = Math.max(d, Math.abs(cur / n - j / m)); // just before the step
    cur += at[j];
    d = Math.max(d, Math.abs(cur / n - end / m)); // at the step
    j = end;
  }
  return { d, pValue: ksPValue(d, n, m), n };
}
