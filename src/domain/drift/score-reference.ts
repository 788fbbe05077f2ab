/**
 * The prediction-drift reference: the candidate's score distribution on its snapshot's test set,
 * computed at evaluation and stored beside the artifact (`score-reference.json`). The monitor judges
 * the champion's live scores against it from its first period, with the same PSI and KS code as the
 * feature references. Pure and sandbox-safe.
 */
import { z } from 'zod';
import { numericStats } from '../data/reference-stats';
import { featureDrift } from './feature-drift';
import { NumericReferenceSchema, type DriftPolicyInput, type FeatureDrift, type NumericReference } from './schema';

/** The attachment's file name, beside `bundle.json`; not part of the artifact's content hash. */
export const SCORE_REFERENCE_FILE = 'score-reference.json';

/**
 * Test-set scores kept for the KS test: all of them up to this many, evenly spaced order statistics
 * beyond. The KS p-value counts the kept scores as the reference's sample size, so keeping thousands
 * (not the feature references' 200) is what gives the test its power on a large test set.
 */
export const SCORE_REFERENCE_SAMPLE = 2000;

/** The name prediction drift carries in drift verdicts, alerts and mails. */
export const PREDICTION_FEATURE = 'prediction';

export const ScoreReferenceSchema = z.object({
  artifactId: z.string(),
  snapshotId: z.string(),
  /** Where the scores come from: the candidate served on its snapshot's test split. */
  source: z.literal('test-set'),
  scores: NumericReferenceSchema,
});
export type ScoreReference = z.infer<typeof ScoreReferenceSchema>;

/** The reference for `scores` (the served scores of the test rows); null when none is finite. */
export function scoreReference(input: { artifactId: string; snapshotId: string; scores: readonly number[] }): ScoreReference | null {
  const finite = input.scores.filter((s) => Number.isFinite(s));
  if (finite.length === 0) return null;
  return { artifactId: input.artifactId, snapshotId: input.snapshotId, source: 'test-set', scores: numericStats(finite, 10, SCORE_REFERENCE_SAMPLE) };
}

/** Prediction drift of one period's scores against a score reference, judged like a numeric feature (PSI on the reference's bins, KS). */
export function predictionDrift(reference: NumericReference, scores: number[], policy?: DriftPolicyInput): FeatureDrift {
  const report = featureDrift({ reference: { rows: reference.count, features: { [PREDICTION_FEATURE]: reference } }, current: { [PREDICTION_FEATURE]: scores }, policy });
  return report.features[0];
}
