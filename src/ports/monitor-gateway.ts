/**
 * What the monitor needs from the gateway: push the per-model monitoring config, read the
 * prediction log in order, and read label tallies and labelled rows.
 */
import { z } from 'zod';
import type { MonitoringConfig } from '../domain/monitor/review-rules';

const LoggedSchema = z.object({
  seq: z.number().int(), id: z.string(), version: z.string(), at: z.number(), label: z.string(), score: z.number(), confidence: z.number(),
  inputs: z.record(z.string(), z.unknown()),
});
export const PredictionsPageSchema = z.object({ entries: z.array(LoggedSchema), nextSeq: z.number().int() });
export type PredictionsPage = z.infer<typeof PredictionsPageSchema>;
export const TallySchema = z.object({
  version: z.string(), labelled: z.number(), correct: z.number(), kpiCount: z.number(), kpiSum: z.number(),
  kpiMin: z.number().nullable().optional(), kpiMax: z.number().nullable().optional(),
});
export type Tally = z.infer<typeof TallySchema>;
export const LabelledRowSchema = z.object({ predictionId: z.string(), version: z.string(), inputs: z.record(z.string(), z.unknown()), outcome: z.string() });
export type LabelledRow = z.infer<typeof LabelledRowSchema>;

export interface MonitorGateway {
  setMonitoringConfig(model: string, config: MonitoringConfig): Promise<void>;
  readPredictions(model: string, q: { afterSeq: number; limit: number; version?: string }): Promise<PredictionsPage>;
  /** Label and KPI tallies per version; `since` (ms epoch) counts only feedback on predictions made from then on. */
  tallies(model: string, q?: { since?: number }): Promise<Tally[]>;
  labelled(model: string): Promise<LabelledRow[]>;
}
