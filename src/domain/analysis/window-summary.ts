/**
 * What a metrics source reports for one model over one time window: one summary per version.
 * The gateway's admin API returns it, the analysis reads it. Histograms use the fixed layouts in
 * `../stats/histogram`, so they can be compared bin by bin.
 */
import { z } from 'zod';

const Count = z.number().int().nonnegative();

export const LatencySummarySchema = z.object({
  p50: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  mean: z.number().nonnegative(),
  /** Counts per LATENCY_BUCKET_BOUNDS_MS bucket, plus one open bucket at the end. */
  histogram: z.array(Count),
});
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

export const VersionSummarySchema = z.object({
  version: z.string().min(1),
  /** HTTP requests answered (or, for a shadow candidate, mirrored) in the window. */
  requests: Count,
  errors: Count,
  latencyMs: LatencySummarySchema,
  /** Prediction scores per SCORE_BINS bin, one count per predicted row. */
  scoreHistogram: z.array(Count),
  meanConfidence: z.number().min(0).max(1),
  /** Shadow candidates only: rows compared with the stable answer, and rows with the same label. */
  shadow: z.object({ compared: Count, agreed: Count }).optional(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

export const WindowSummarySchema = z.object({
  model: z.string(),
  /** Epoch ms. */
  windowStart: z.number(),
  windowEnd: z.number(),
  versions: z.array(VersionSummarySchema),
});
export type WindowSummary = z.infer<typeof WindowSummarySchema>;
