/**
 * Population stability index between two histograms over the same bins:
 * PSI = sum_i (a_i - e_i) * ln(a_i / e_i), with a_i, e_i the bin shares.
 * Empty bins get `epsilon` so one empty bin does not make the index infinite. Pure.
 */
export interface PsiOptions {
  /** Share used in place of 0 for an empty bin. @default 1e-4 */
  epsilon?: number;
}

export function psi(expected: readonly number[], actual: readonly number[], options: PsiOptions = {}): number {
  if (expected.length !== actual.length) throw new Error(`psi: histograms differ in bin count (${expected.length} vs ${actual.length})`);
  const eps = options.epsilon ?? 1e-4;
  const eTotal = expected.reduce((s, x) => s + x, 0);
  const aTotal = actual.reduce((s, x) => s + x, 0);
  if (eTotal <= 0 || aTotal <= 0) throw new Error('psi: both histograms need at least one count');
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / eTotal, eps);
    const a = Math.max(actual[i] / aTotal, eps);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}
