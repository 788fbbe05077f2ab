/**
 * The baseline the benchmark compares against: the obvious implementation. KS copies both samples
 * to plain number arrays and sorts them with `Array.prototype.sort((a, b) => a - b)`; PSI finds each
 * value's bin by a linear scan of the edges (`binIndex` from reference-stats).
 */
import { binIndex } from '../../src/domain/data/reference-stats';
import type { NumericReference } from '../../src/domain/drift/schema';

export function naivePsi(reference: NumericReference, values: Float64Array): number {
  const counts = new Array<number>(reference.edges.length + 1).fill(0);
  for (const x of values) counts[binIndex(reference.edges, x)]++;
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = Math.max(reference.proportions[i], 1e-4);
    const a = Math.max(counts[i] / values.length, 1e-4);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

export function naiveKsD(reference: readonly number[], values: Float64Array): number {
  const a = Array.from(values).sort((x, y) => x - y);
  const b = [...reference].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}
