/**
 * What the gateway may keep of a request row, and which predictions go to human review. Only the
 * spec's feature columns are kept and PII columns never are (a hashed PII feature is dropped too:
 * the gateway has no salt, and a reviewer does not need it). Pure.
 */
import { z } from 'zod';
import type { Row } from '../model/bundle';
import type { ModelSpec } from '../spec';

/** Where a queued prediction stands: waiting for a reviewer, or labelled by one. */
export const ReviewStatus = { pending: 'pending', labelled: 'labelled' } as const;
export type ReviewStatus = (typeof ReviewStatus)[keyof typeof ReviewStatus];
export const ReviewStatusSchema = z.enum(ReviewStatus);

/** A queued prediction as the gateway's review API shows it (server and client share this). */
export const ReviewItemSchema = z.object({
  predictionId: z.string(), version: z.string(), at: z.string(), predicted: z.string(), confidence: z.number(),
  inputs: z.record(z.string(), z.unknown()), status: ReviewStatusSchema, reviewer: z.string().nullable(), observed: z.string().nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export interface MonitoringConfig {
  /** Columns kept from each request row (drift checks and the review queue need them). */
  keepColumns: string[];
  /** Predictions with confidence strictly below this are queued for review. */
  reviewConfidenceBelow: number;
}

export function monitoringConfig(spec: Pick<ModelSpec, 'data' | 'reviewConfidenceBelow'>): MonitoringConfig {
  const pii = new Set(spec.data.pii.map((p) => p.column));
  return { keepColumns: spec.data.features.filter((f) => !pii.has(f)), reviewConfidenceBelow: spec.reviewConfidenceBelow };
}

/** The row reduced to the kept columns; with no config nothing of the row is kept. */
export function keptInputs(row: Row, config: MonitoringConfig | undefined): Row {
  const out: Row = {};
  for (const c of config?.keepColumns ?? []) if (c in row) out[c] = row[c];
  return out;
}

export function needsReview(confidence: number, config: MonitoringConfig | undefined): boolean {
  return config !== undefined && confidence < config.reviewConfidenceBelow;
}
