/**
 * Zod schemas and types for drift checks: the reference a snapshot stores (mirrors
 * `src/domain/data/reference-stats.ts`), the current columns, the per-feature report, the policy
 * and the judgement. Parse at the edges (files, HTTP bodies, activity inputs); inside, trust the types.
 */
import { z } from 'zod';

const ascending = (xs: readonly number[]) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);

export const NumericReferenceSchema = z
  .object({
    kind: z.literal('numeric'),
    count: z.number().int().nonnegative(),
    mean: z.number(),
    std: z.number().nonnegative(),
    min: z.number(),
    max: z.number(),
    edges: z.array(z.number()).refine(ascending, 'bin edges must be ascending; recompute them with numericStats()'),
    proportions: z.array(z.number().min(0).max(1)).min(1, 'at least one bin is needed'),
    sample: z.array(z.number()).refine(ascending, 'the sample must be sorted ascending (evenly spaced order statistics)'),
  })
  .refine((r) => r.proportions.length === r.edges.length + 1, {
    path: ['proportions'],
    message: 'needs exactly one proportion per bin (edges.length + 1); recompute with numericStats()',
  });
export type NumericReference = z.infer<typeof NumericReferenceSchema>;

export const CategoricalReferenceSchema = z.object({
  kind: z.literal('categorical'),
  count: z.number().int().nonnegative(),
  frequencies: z.record(z.string(), z.number().min(0).max(1)),
});
export type CategoricalReference = z.infer<typeof CategoricalReferenceSchema>;

export const FeatureReferenceSchema = z.discriminatedUnion('kind', [NumericReferenceSchema, CategoricalReferenceSchema]);
export type FeatureReference = z.infer<typeof FeatureReferenceSchema>;

export const ReferenceStatsSchema = z.object({
  rows: z.number().int().nonnegative(),
  features: z.record(z.string(), FeatureReferenceSchema),
});
export type ReferenceStats = z.infer<typeof ReferenceStatsSchema>;

/** One current column: numbers for numeric features; strings (or numbers, stringified) for categorical ones. */
export const ColumnSchema = z.union([z.instanceof(Float64Array), z.array(z.number()), z.array(z.string())]);
export type Column = z.infer<typeof ColumnSchema>;
export const CurrentColumnsSchema = z.record(z.string(), ColumnSchema);
export type CurrentColumns = z.infer<typeof CurrentColumnsSchema>;

/** Thresholds for calling a feature drifted. Re-judging a stored report under a new policy needs no data. */
export const DriftPolicySchema = z.object({
  /** PSI above this is drift (0.1–0.2 is "moderate", above 0.2 "significant" by the usual rule of thumb). @default 0.2 */
  maxPsi: z.number().nonnegative().default(0.2),
  /** A KS or chi-squared p-value below this is drift. Set 0 to judge on PSI alone (very large samples make tiny shifts significant). @default 0.01 */
  alpha: z.number().min(0).max(1).default(0.01),
  /** A feature with fewer current values than this is inconclusive, never stable. @default 100 */
  minSamples: z.number().int().positive().default(100),
});
export type DriftPolicy = z.infer<typeof DriftPolicySchema>;
export type DriftPolicyInput = z.input<typeof DriftPolicySchema>;

export const FeatureDriftSchema = z.object({
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  /** Current values used (finite numbers, or any category). */
  samples: z.number().int().nonnegative(),
  /** Current values left out: NaN or ±Infinity in a numeric column. */
  missing: z.number().int().nonnegative(),
  psi: z.number().nonnegative(),
  ks: z.object({ d: z.number().min(0).max(1), pValue: z.number().min(0).max(1) }).optional(),
  chi2: z.object({ statistic: z.number().nonnegative(), df: z.number().int().nonnegative(), pValue: z.number().min(0).max(1) }).optional(),
  drifted: z.boolean(),
  /** Why the feature is (not) drifted, with the numbers: for people reading the report. */
  reason: z.string(),
});
export type FeatureDrift = z.infer<typeof FeatureDriftSchema>;

export const DriftReportSchema = z.object({ features: z.array(FeatureDriftSchema) });
export type DriftReport = z.infer<typeof DriftReportSchema>;

export const DriftVerdict = { Drift: 'drift', Stable: 'stable', Inconclusive: 'inconclusive' } as const;
export type DriftVerdict = (typeof DriftVerdict)[keyof typeof DriftVerdict];

export const DriftJudgementSchema = z.object({
  verdict: z.enum(DriftVerdict),
  /** Features that drifted, in report order. */
  drifted: z.array(z.string()),
  /** Features with fewer than `minSamples` current values. */
  inconclusive: z.array(z.string()),
});
export type DriftJudgement = z.infer<typeof DriftJudgementSchema>;
