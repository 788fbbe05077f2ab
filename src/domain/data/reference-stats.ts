/**
 * Reference statistics of the training data, kept with each snapshot for drift checks:
 * numeric features get fixed quantile bin edges, bin proportions, moments and a quantile sample
 * (for a later Kolmogorov-Smirnov test); categorical features get category frequencies. Pure.
 */
import type { Row } from '../model/bundle';

export interface NumericStats {
  kind: 'numeric';
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Inner bin edges (bins - 1 of them); bin i holds values in (edges[i-1], edges[i]]. */
  edges: number[];
  /** Share of rows per bin; sums to 1. */
  proportions: number[];
  /** Evenly spaced order statistics, at most `sampleSize` of them: a compact sample for KS tests. */
  sample: number[];
}

export interface CategoricalStats {
  kind: 'categorical';
  count: number;
  frequencies: Record<string, number>;
}

export type FeatureStats = NumericStats | CategoricalStats;

export interface ReferenceStats {
  rows: number;
  features: Record<string, FeatureStats>;
}

/** Value at quantile q of sorted values (linear interpolation). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Index of the bin a value falls in, given inner edges. */
export function binIndex(edges: number[], x: number): number {
  let i = 0;
  while (i < edges.length && x > edges[i]) i++;
  return i;
}

export function numericStats(values: number[], bins = 10, sampleSize = 200): NumericStats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) edges.push(quantile(sorted, b / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const x of sorted) counts[binIndex(edges, x)]++;
  const k = Math.min(sampleSize, n);
  const sample = Array.from({ length: k }, (_, i) => sorted[k === 1 ? 0 : Math.round((i * (n - 1)) / (k - 1))]);
  return { kind: 'numeric', count: n, mean, std, min: sorted[0], max: sorted[n - 1], edges, proportions: counts.map((c) => c / n), sample };
}

export function categoricalStats(values: string[]): CategoricalStats {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  const frequencies: Record<string, number> = {};
  for (const key of Object.keys(counts).sort()) frequencies[key] = counts[key] / values.length;
  return { kind: 'categorical', count: values.length, frequencies };
}

export function referenceStats(rows: Row[], features: string[], categorical: string[]): ReferenceStats {
  const cats = new Set(categorical);
  const out: Record<string, FeatureStats> = {};
  for (const f of features) {
    out[f] = cats.has(f) ? categoricalStats(rows.map((r) => String(r[f]))) : numericStats(rows.map((r) => Number(r[f])));
  }
  return { rows: rows.length, features: out };
}
