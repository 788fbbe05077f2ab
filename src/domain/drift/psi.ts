/**
 * Population stability index of a current column against a snapshot's reference, with the
 * reference's FIXED bins (numeric) or categories (categorical). Pure and deterministic.
 *
 * The final sum reuses `psi` from `src/domain/stats/psi.ts` (the gateway's score-histogram PSI),
 * so both places agree on the formula and on the empty-bin epsilon.
 */
import { psi } from '../stats/psi';
import { createSortedIndex, locateAll } from './sorted-index';
import type { CategoricalReference, NumericReference } from './schema';

/**
 * Share used in place of 0 for an empty bin on either side, so one empty bin gives a large but
 * finite PSI: ln(0.1 / 1e-4) ≈ 6.9 per fully shifted 10% bin.
 */
export const PSI_EPSILON = 1e-4;

/** Bucket that collects current categories the reference never saw. */
export const OTHER_CATEGORY = '__other__';

export interface PsiResult {
  psi: number;
  /** Current values counted into bins. */
  samples: number;
  /** Current values left out (non-finite numbers). */
  missing: number;
}

/**
 * Counts finite values into the reference bins. Bin i holds (edges[i-1], edges[i]], as
 * `binIndex` in reference-stats; values below the first or above the last edge land in the end bins.
 */
export function countIntoBins(edges: ArrayLike<number>, values: Float64Array | readonly number[]): { counts: Float64Array; missing: number } {
  const counts = new Float64Array(edges.length + 1);
  const codes = locateAll(createSortedIndex(edges), values);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    // Bin = number of edges below x: a value equal to an edge stays in the bin below it.
    if (codes[i] < 0) missing++;
    else counts[codes[i] >> 1]++;
  }
  return { counts, missing };
}

/** PSI of numeric `values` against the reference's fixed quantile bins. An empty column gives PSI 0 with samples 0. */
export function psiAgainstReference(reference: NumericReference, values: Float64Array | readonly number[]): PsiResult {
  const { counts, missing } = countIntoBins(reference.edges, values);
  const samples = values.length - missing;
  if (samples === 0) return { psi: 0, samples, missing };
  return { psi: psi(reference.proportions, Array.from(counts), { epsilon: PSI_EPSILON }), samples, missing };
}

/** Reference categories in a stable order (sorted), then `__other__`, with current counts for each. */
export function categoryCounts(reference: CategoricalReference, values: readonly (string | number)[]): { categories: string[]; counts: number[] } {
  const categories = Object.keys(reference.frequencies).sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length + 1).fill(0);
  for (const v of values) counts[index.get(String(v)) ?? categories.length]++;
  return { categories: [...categories, OTHER_CATEGORY], counts };
}

/** PSI of categorical `values` against reference category frequencies; unseen categories pool into `__other__`. */
export function psiCategorical(reference: CategoricalReference, values: readonly (string | number)[]): PsiResult {
  if (values.length === 0) return { psi: 0, samples: 0, missing: 0 };
  const { categories, counts } = categoryCounts(reference, values);
  const expected = categories.map((c) => reference.frequencies[c] ?? 0);
  return { psi: psi(expected, counts, { epsilon: PSI_EPSILON }), samples: values.length, missing: 0 };
}
