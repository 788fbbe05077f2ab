/**
 * What the approvals server shows: the release view (gates + evidence) and pending gates.
 * The workflow's status query returns exactly `ReleaseView`, so server and workflow share one shape.
 */
import { z } from 'zod';
import { GateNameSchema, RiskClassSchema } from '../spec';
import { GateStateSchema } from './gate-state';

export const MetricsSchema = z.record(z.string(), z.number());
export type Metrics = z.infer<typeof MetricsSchema>;

export const SliceEvidenceSchema = z.object({
  /** e.g. `sex=female` */
  slice: z.string(),
  count: z.number().int().nonnegative(),
  metrics: MetricsSchema,
  champion: MetricsSchema.optional(),
});
export type SliceEvidence = z.infer<typeof SliceEvidenceSchema>;

export const OfflineEvidenceSchema = z.object({
  metrics: MetricsSchema,
  champion: MetricsSchema.optional(),
  /** candidate minus champion, per metric */
  delta: MetricsSchema,
  slices: z.array(SliceEvidenceSchema),
  primaryMetric: z.string().optional(),
});
export type OfflineEvidence = z.infer<typeof OfflineEvidenceSchema>;

export const CanarySampleSchema = z.object({
  /** seconds since the rollout started */
  t: z.number(),
  candidateP99: z.number(),
  baselineP99: z.number(),
  candidateErrorRate: z.number(),
  baselineErrorRate: z.number(),
});
export type CanarySample = z.infer<typeof CanarySampleSchema>;

export const CanaryStepSchema = z.object({
  percent: z.number(),
  samples: z.array(CanarySampleSchema),
  verdict: z.enum(['pass', 'fail', 'inconclusive', 'error', 'running']),
});
export type CanaryStep = z.infer<typeof CanaryStepSchema>;

/** One point of an A/B experiment's KPI curve: the difference (candidate - control) and its confidence sequence. */
export const ExperimentPointSchema = z.object({
  /** seconds since the experiment started */
  t: z.number(),
  estimate: z.number().nullable(),
  lower: z.number(),
  upper: z.number(),
  candidateN: z.number().int().nonnegative(),
  controlN: z.number().int().nonnegative(),
});
export type ExperimentPoint = z.infer<typeof ExperimentPointSchema>;

export const ExperimentVerdictSchema = z.enum(['winner', 'loser', 'inconclusive']);
export type ExperimentVerdict = z.infer<typeof ExperimentVerdictSchema>;

export const ExperimentEvidenceSchema = z.object({
  /** e.g. `conversion` or `mean in [0, 10]` */
  kpi: z.string(),
  verdict: ExperimentVerdictSchema,
  reason: z.string(),
  minEffect: z.number(),
  alpha: z.number(),
  candidateShare: z.number(),
  points: z.array(ExperimentPointSchema),
});
export type ExperimentEvidence = z.infer<typeof ExperimentEvidenceSchema>;

export const EvidenceSchema = z.object({
  offline: OfflineEvidenceSchema,
  canary: z.object({ steps: z.array(CanaryStepSchema) }).optional(),
  /** A/B releases: the KPI experiment the promote gate decides on. */
  experiment: ExperimentEvidenceSchema.optional(),
  modelCardUrl: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ReleaseViewSchema = z.object({
  releaseId: z.string(),
  runId: z.string(),
  model: z.string(),
  riskClass: RiskClassSchema,
  stage: z.string(),
  requester: z.string(),
  owner: z.string().optional(),
  gates: z.array(GateStateSchema),
  evidence: EvidenceSchema,
});
export type ReleaseView = z.infer<typeof ReleaseViewSchema>;

export const PendingGateSchema = z.object({
  releaseId: z.string(),
  runId: z.string(),
  model: z.string(),
  riskClass: RiskClassSchema,
  gate: GateNameSchema,
  openedAt: z.string().optional(),
  deadline: z.string().optional(),
  required: z.number().int(),
  approvals: z.number().int(),
  approvers: z.array(z.string()),
});
export type PendingGate = z.infer<typeof PendingGateSchema>;
