/** Test helper: builds VersionSummary values from raw samples with the real histogram layout. */
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_BINS, histogramQuantile, latencyBucket, scoreBin } from '../../../src/domain/stats/histogram';
import type { VersionSummary } from '../../../src/domain/analysis/window-summary';
import { mulberry32 } from '../../../src/domain/data/prng';

/** A seeded generator so "noisy" test data is the same on every run (the project's own PRNG). */
export const seeded = mulberry32;

/** Log-normal-ish latency around `medianMs` with a realistic right tail. */
export function noisyLatencies(n: number, medianMs: number, rand: () => number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return medianMs * Math.exp(0.35 * z);
  });
}

export function buildSummary(opts: { version: string; latencies: number[]; errors: number; scores: number[]; shadow?: { compared: number; agreed: number } }): VersionSummary {
  const hist = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
  for (const l of opts.latencies) hist[latencyBucket(l)]++;
  const scores = new Array<number>(SCORE_BINS).fill(0);
  for (const s of opts.scores) scores[scoreBin(s)]++;
  const conf = opts.scores.map((s) => Math.max(s, 1 - s));
  return {
    version: opts.version,
    requests: opts.latencies.length,
    errors: opts.errors,
    latencyMs: {
      p50: histogramQuantile(hist, 0.5),
      p95: histogramQuantile(hist, 0.95),
      p99: histogramQuantile(hist, 0.99),
      mean: opts.latencies.reduce((a, b) => a + b, 0) / Math.max(1, opts.latencies.length),
      histogram: hist,
    },
    scoreHistogram: scores,
    meanConfidence: conf.length ? conf.reduce((a, b) => a + b, 0) / conf.length : 0,
    ...(opts.shadow ? { shadow: opts.shadow } : {}),
  };
}

/** Scores from a fixed mixture, so two versions of the "same model" draw from one distribution. */
export function scoresFrom(n: number, rand: () => number, shift = 0): number[] {
  return Array.from({ length: n }, () => Math.min(0.999, Math.max(0, (rand() < 0.4 ? 0.15 + 0.2 * rand() : 0.6 + 0.3 * rand()) + shift)));
}
