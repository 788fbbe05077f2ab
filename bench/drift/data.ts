/**
 * Deterministic synthetic data for the drift benchmark: per feature, a reference of REF_ROWS values
 * (kept whole as the KS sample) and CURRENT_ROWS current values in a SharedArrayBuffer so worker
 * threads read them without copies. Every fourth feature is shifted by 0.3 standard deviations.
 */
import { mulberry32, normal } from '../../src/domain/data/prng';
import { numericStats } from '../../src/domain/data/reference-stats';
import type { NumericReference } from '../../src/domain/drift/schema';

export const FEATURES = 20;
export const CURRENT_ROWS = 1_000_000;
export const REF_ROWS = 10_000;
export const BINS = 10;

export interface BenchFeature {
  name: string;
  reference: NumericReference;
  /** Backing store of the current column (Float64Array view over it). */
  current: SharedArrayBuffer;
}

function column(seed: number, n: number, mean: number, std: number, out: Float64Array): Float64Array {
  const rand = mulberry32(seed);
  for (let i = 0; i < n; i++) out[i] = mean + std * normal(rand);
  return out;
}

export function generate(): BenchFeature[] {
  return Array.from({ length: FEATURES }, (_, f) => {
    const mean = f * 10;
    const std = 1 + f / 10;
    const ref = column(1000 + f, REF_ROWS, mean, std, new Float64Array(REF_ROWS));
    const shift = f % 4 === 0 ? 0.3 * std : 0;
    const current = new SharedArrayBuffer(CURRENT_ROWS * 8);
    column(2000 + f, CURRENT_ROWS, mean + shift, std, new Float64Array(current));
    return { name: `f${String(f).padStart(2, '0')}`, reference: numericStats(Array.from(ref), BINS, REF_ROWS), current };
  });
}
