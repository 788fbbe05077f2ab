/**
 * Fixed histogram layouts shared by the gateway (which counts) and the analysis (which reads).
 * Fixed bins mean two windows, or two versions, can be added and compared bin by bin. Pure.
 */

/** Upper bounds (ms) of latency buckets: 0.05 ms growing by 25% per bucket up to about 4 minutes; the last bucket is open. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 70 }, (_, i) => 0.05 * Math.pow(1.25, i));

/** Bins of the prediction score histogram: 10 equal bins over [0, 1]; out-of-range scores are clamped. */
export const SCORE_BINS = 10;

export function latencyBucket(ms: number): number {
  const b = LATENCY_BUCKET_BOUNDS_MS;
  if (!(ms > b[0])) return 0;
  const i = Math.ceil(Math.log(ms / b[0]) / Math.log(1.25));
  return Math.min(i, b.length);
}

export function scoreBin(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(score * SCORE_BINS)));
}

/** Upper bound of a bucket; the open last bucket reports its lower bound. */
export function bucketUpperMs(i: number): number {
  const b = LATENCY_BUCKET_BOUNDS_MS;
  return i < b.length ? b[i] : b[b.length - 1];
}

/** Quantile q in (0, 1] from latency bucket counts, as the bucket's upper bound (conservative by at most 25%). */
export function histogramQuantile(counts: readonly number[], q: number): number {
  const total = counts.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) return bucketUpperMs(i);
  }
  return bucketUpperMs(counts.length - 1);
}

/** How many counts lie strictly above the bucket holding `ms`. */
export function countAbove(counts: readonly number[], ms: number): number {
  const k = latencyBucket(ms);
  let n = 0;
  for (let i = k + 1; i < counts.length; i++) n += counts[i];
  return n;
}

export function addInto(target: number[], source: readonly number[]): void {
  for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + source[i];
}
