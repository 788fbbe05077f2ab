/**
 * The model spec: one file (YAML or JSON) describes a model and how it is released.
 * Declared once here; parsed at the edge (CLI, server) and trusted inside.
 * Pure and sandbox-safe: workflows import it.
 */
import { z } from 'zod';
import { DurationSchema } from './duration';
import { formatIssues } from './errors';
import { MonitorSpecSchema } from './monitor/monitor-spec';

export const RiskClass = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const;
export type RiskClass = (typeof RiskClass)[keyof typeof RiskClass];
export const RiskClassSchema = z.enum(RiskClass);

/** What a gate does when its deadline passes. */
export const TimeoutAction = { reject: 'reject', escalate: 'escalate', hold: 'hold' } as const;
export type TimeoutAction = (typeof TimeoutAction)[keyof typeof TimeoutAction];
export const TimeoutActionSchema = z.enum(TimeoutAction);

/** What a rollout or a KPI bake does with an inconclusive verdict, and a rollout with a metrics error. */
export const InconclusiveAction = { rollback: 'rollback', hold: 'hold' } as const;
export type InconclusiveAction = (typeof InconclusiveAction)[keyof typeof InconclusiveAction];
export const InconclusiveActionSchema = z.enum(InconclusiveAction);

/** What a model predicts. */
export const Task = { binaryClassification: 'binary-classification', regression: 'regression' } as const;
export type Task = (typeof Task)[keyof typeof Task];
export const TaskSchema = z.enum(Task);

const ColumnName = z.string().min(1, 'column name must not be empty');
const Identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (max 63), starting with a letter or digit');

export const PiiRuleSchema = z.object({
  column: ColumnName,
  /** `drop` removes the column; `hash` replaces it with HMAC-SHA256(salt from MLGATE_PII_SALT). */
  action: z.enum(['drop', 'hash']),
});
export type PiiRule = z.infer<typeof PiiRuleSchema>;

export const SplitSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('random'),
    /** @default 0.2 */
    testFraction: z.number().gt(0).lt(1).default(0.2),
    /** @default 42 */
    seed: z.number().int().nonnegative().default(42),
  }),
  z.object({
    kind: z.literal('time'),
    /** Rows are ordered by this column; the newest `testFraction` become the test set, so no future row trains. */
    column: ColumnName,
    /** @default 0.2 */
    testFraction: z.number().gt(0).lt(1).default(0.2),
  }),
]);
export type Split = z.infer<typeof SplitSchema>;

export const DataSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    /** Path to a CSV or JSON Lines file, relative to the spec file. */
    path: z.string().min(1),
    /** @default inferred from the extension (.csv, .jsonl, .ndjson) */
    format: z.enum(['csv', 'jsonl']).optional(),
  }),
  z.object({
    kind: z.literal('synthetic-credit'),
    /** @default 5000 */
    rows: z.number().int().min(50).max(5_000_000).default(5000),
    /** @default 1 */
    seed: z.number().int().nonnegative().default(1),
    /** 0 = the reference population; larger values shift income and debt (the drift knob). @default 0 */
    drift: z.number().min(0).max(5).default(0),
  }),
  z.object({ kind: z.literal('iris') }),
]);
export type DataSource = z.infer<typeof DataSourceSchema>;

export const DataSpecSchema = z.object({
  source: DataSourceSchema,
  label: ColumnName,
  features: z.array(ColumnName).min(1, 'list at least one feature column'),
  /** Feature columns treated as categories (one-hot encoded). @default [] */
  categorical: z.array(ColumnName).default([]),
  /** @default [] */
  pii: z.array(PiiRuleSchema).default([]),
  split: SplitSchema.default({ kind: 'random', testFraction: 0.2, seed: 42 }),
  /** For binary classification: the label value counted as positive. @default "1" */
  positiveLabel: z.string().default('1'),
});
export type DataSpec = z.infer<typeof DataSpecSchema>;

export const TrainerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('builtin'),
    /** @default "logistic-regression" */
    algorithm: z.enum(['logistic-regression', 'linear-regression']).default('logistic-regression'),
    /** @default {} */
    params: z.record(z.string(), z.number()).default({}),
    /** @default 7 */
    seed: z.number().int().nonnegative().default(7),
  }),
  z.object({
    kind: z.literal('external'),
    /** argv of the trainer; it reads MLGATE_TRAIN_INPUT and writes MLGATE_TRAIN_OUTPUT (see README). */
    command: z.array(z.string().min(1)).min(1, 'give the trainer command as an argv list, e.g. ["python3", "train.py"]'),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    seed: z.number().int().nonnegative().default(7),
    /** @default "30m" */
    timeout: DurationSchema.default('30m'),
  }),
]);
export type Trainer = z.infer<typeof TrainerSchema>;

export const ThresholdSchema = z.object({
  metric: z.string().min(1),
  op: z.enum(['>=', '<=']),
  value: z.number(),
});
export type Threshold = z.infer<typeof ThresholdSchema>;

export const OfflineSpecSchema = z.object({
  /** Absolute floors and ceilings, e.g. `{ metric: auc, op: ">=", value: 0.75 }`. @default [] */
  thresholds: z.array(ThresholdSchema).default([]),
  /** The primary metric compared with the champion. @default "auc" for classification, "rmse" for regression */
  primaryMetric: z.string().optional(),
  /** How much worse than the champion the primary metric may be. @default 0.01 */
  maxRegression: z.number().min(0).default(0.01),
  /** Fairness slices: one column per slice set (e.g. a protected attribute). @default [] */
  slices: z.array(ColumnName).default([]),
  /** Largest allowed gap between the best and the worst slice on the primary metric. @default 0.15 */
  maxSliceGap: z.number().min(0).default(0.15),
  /** No slice may be worse than the champion's same slice by more than this. @default 0.05 */
  maxSliceRegression: z.number().min(0).default(0.05),
  /**
   * Max absolute difference between training-path and serving-path predictions: for ONNX models,
   * between the trainer's own scores and onnxruntime's (float32 inference). @default 1e-9 for
   * mlgate-linear/v1, 1e-4 for onnx/v1
   */
  parityTolerance: z.number().min(0).optional(),
});
export type OfflineSpec = z.infer<typeof OfflineSpecSchema>;

export const SloSpecSchema = z.object({
  /** @default 250 */
  maxP99LatencyMs: z.number().positive().default(250),
  /** @default 0.02 */
  maxErrorRate: z.number().min(0).max(1).default(0.02),
  /** Candidate p99 may be at most this multiple of the stable p99. @default 1.5 */
  maxLatencyRatio: z.number().min(1).default(1.5),
  /** Candidate error rate may exceed stable by at most this (absolute). @default 0.01 */
  maxErrorRateIncrease: z.number().min(0).max(1).default(0.01),
  /** Population stability index of predictions, candidate vs stable. @default 0.25 */
  maxPredictionPsi: z.number().min(0).default(0.25),
  /** Shadow only: share of mirrored requests where candidate and stable agree. @default 0.9 */
  minAgreement: z.number().min(0).max(1).default(0.9),
  /** Requests per version before any verdict. @default 100 */
  minSamples: z.number().int().min(1).default(100),
  /** Significance level of the statistical tests. @default 0.01 */
  alpha: z.number().gt(0).lt(0.5).default(0.01),
  /** How long the verdict may stay inconclusive before `onInconclusive` applies. @default "2m" */
  inconclusiveAfter: DurationSchema.default('2m'),
  /** Too little evidence (thin traffic) once `inconclusiveAfter` is over. @default "rollback" */
  onInconclusive: InconclusiveActionSchema.default('rollback'),
  /**
   * The rollout could not be measured: the metrics source stayed unreachable for more than
   * `consecutiveErrorLimit` measurements in a row. An outage of the metrics source says nothing
   * about the candidate, so by default a human decides at the promote gate (`hold`) rather than a
   * monitoring blip rolling a healthy release back. @default "hold"
   */
  onMetricsError: InconclusiveActionSchema.default('hold'),
  /**
   * Failed measurements in a row tolerated before the verdict is `error` (Argo Rollouts'
   * `consecutiveErrorLimit`); a good measurement resets the count; 0 = the first error counts. @default 4
   */
  consecutiveErrorLimit: z.number().int().min(0).max(100).default(4),
  /** Time between measurements while the metrics source errors (a back-off, not the 250 ms poll). @default "5s" */
  metricsErrorInterval: DurationSchema.default('5s'),
  /**
   * Require an online KPI verdict (accuracy from delayed labels, see `monitor.minLabels` and
   * `monitor.minOnlineAccuracy`) before the promote gate opens. The bake may last days: it is a
   * workflow timer, not a sleeping process.
   */
  kpiBake: z
    .object({
      /** Longest wait for enough labels. */
      bake: DurationSchema,
      /** @default "1h" */
      checkEvery: DurationSchema.default('1h'),
      /** Still too few labels when the bake ends: roll back, or let a human decide at the promote gate. @default "hold" */
      onInconclusive: InconclusiveActionSchema.default('hold'),
    })
    .optional(),
});
export type SloSpec = z.infer<typeof SloSpecSchema>;

/**
 * Early pass for canary steps: a step's bake ends early once its candidate is shown non-inferior on
 * error rate (the anytime-valid confidence sequence for candidate minus baseline error rate lies
 * below `errorRateMargin`) and every SLO check passes. Off unless given.
 */
export const EarlyPassSchema = z.strictObject({
  /** How much higher the candidate's error rate may be (absolute share) and still count as no worse. */
  errorRateMargin: z.number({ error: 'earlyPass.errorRateMargin: give the tolerated error-rate increase as a share, e.g. 0.01' }).gt(0, 'errorRateMargin must be above 0').max(1),
  /** Chance of a false early pass over the whole rollout. @default 0.05 */
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  /** Requests per arm before an early pass is considered. @default 200 */
  minSamples: z.number().int().min(1).default(200),
});
export type EarlyPass = z.infer<typeof EarlyPassSchema>;

/** What the A/B experiment measures from feedback `kpi` values: a 0/1 conversion, or the mean of a bounded value. */
export const AbKpiSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('conversion') }),
  z.strictObject({
    kind: z.literal('mean'),
    /** Smallest possible value; the test's guarantee needs values inside [min, max]. */
    min: z.number({ error: 'kpi.min: give the smallest possible KPI value (the test needs bounded values)' }),
    /** Largest possible value. */
    max: z.number({ error: 'kpi.max: give the largest possible KPI value (the test needs bounded values)' }),
  }),
], { error: 'kpi: use { kind: conversion } (feedback kpi 0 or 1) or { kind: mean, min, max } (feedback kpi a number in [min, max])' });
export type AbKpi = z.infer<typeof AbKpiSchema>;

/** The header name rule for sticky keys: HTTP token characters. */
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'give an HTTP header name, e.g. x-user-id');

export const AbStrategySchema = z.strictObject({
  kind: z.literal('ab'),
  /** Request header with a stable user key: the same key always gets the same arm. Requests without it get 400 while the experiment runs. */
  userKey: HeaderName,
  /** Share of users in the candidate arm. @default 0.5 */
  candidateShare: z.number().gt(0, 'candidateShare is a share in (0, 1)').lt(1, 'candidateShare is a share in (0, 1)').default(0.5),
  kpi: AbKpiSchema,
  /** The smallest KPI difference (candidate - control, KPI units) worth acting on; tunes the test. */
  minEffect: z.number({ error: 'minEffect: give the smallest KPI difference worth acting on, e.g. 0.02 for two points of conversion' }).positive('minEffect must be above 0'),
  /** Chance that the experiment ever calls a false winner or a false loser. @default 0.05 */
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  /** Longest run; still undecided then = inconclusive (goes to the promote gate). */
  maxDuration: DurationSchema,
  /** How often the feedback tallies are read. @default "5s" */
  pollEvery: DurationSchema.default('5s'),
  /** Watch after promotion; a breach rolls back to `previous`. @default "1m" */
  postPromotionWatch: DurationSchema.default('1m'),
});
export type AbStrategy = z.infer<typeof AbStrategySchema>;

export const StrategySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('canary'),
    /** Candidate traffic percentages; the last step should be 100. @default [5, 25, 50, 100] */
    steps: z.array(z.number().gt(0).max(100)).min(1).default([5, 25, 50, 100]),
    /** @default "30s" */
    stepBake: DurationSchema.default('30s'),
    /** Watch after promotion; a breach rolls back to `previous`. @default "1m" */
    postPromotionWatch: DurationSchema.default('1m'),
    /** Request header whose value pins a caller to one version. */
    stickyHeader: z.string().optional(),
    /** End a step's bake early once the candidate is shown non-inferior (off when absent; see `EarlyPassSchema`). */
    earlyPass: EarlyPassSchema.optional(),
  }),
  z.object({
    kind: z.literal('shadow'),
    /** Share of requests mirrored to the candidate. @default 1 */
    sampleRate: z.number().gt(0).max(1).default(1),
    /** @default "1m" */
    bake: DurationSchema.default('1m'),
    /** @default "1m" */
    postPromotionWatch: DurationSchema.default('1m'),
  }),
  AbStrategySchema,
]);
export type Strategy = z.infer<typeof StrategySchema>;

export const GateName = { deploy: 'deploy', promote: 'promote' } as const;
export type GateName = (typeof GateName)[keyof typeof GateName];
export const GateNameSchema = z.enum(GateName);

export const GatePolicyOverrideSchema = z.object({
  enabled: z.boolean().optional(),
  /** Approve without a person, recording the offline evidence (allowed for `low` risk only). */
  auto: z.boolean().optional(),
  required: z.number().int().min(1).optional(),
  approvers: z.array(z.string().min(1)).optional(),
  timeout: DurationSchema.optional(),
  onTimeout: TimeoutActionSchema.optional(),
  escalateTo: z.array(z.string().min(1)).optional(),
  remindBefore: z.array(DurationSchema).optional(),
});
export type GatePolicyOverride = z.infer<typeof GatePolicyOverrideSchema>;

export const MailRetrySchema = z.object({
  /** Attempts in all before the batch is recorded as failed. @default 8 */
  attempts: z.number().int().min(1, 'attempts: at least 1').max(50, 'attempts: at most 50').default(8),
  /** Wait before the second attempt; it doubles each time. @default 2s */
  initialInterval: DurationSchema.default('2s'),
  /** Longest wait between attempts. @default 1m */
  maxInterval: DurationSchema.default('1m'),
});
export type MailRetry = z.infer<typeof MailRetrySchema>;

export const ApprovalSpecSchema = z.object({
  /** People (emails) who may approve; gates use this list unless they name their own. @default [] */
  approvers: z.array(z.string().min(1)).default([]),
  /** Second list that a timed-out gate escalates to. @default [] */
  escalateTo: z.array(z.string().min(1)).default([]),
  separationOfDuties: z.boolean().optional(),
  signalDecisions: z.boolean().optional(),
  gates: z.object({ deploy: GatePolicyOverrideSchema.optional(), promote: GatePolicyOverrideSchema.optional() }).default({}),
  /** How approval mail is retried when the SMTP relay fails; every failed attempt shows in `mlgate status`. */
  mailRetry: MailRetrySchema.default(MailRetrySchema.parse({})),
});
export type ApprovalSpec = z.infer<typeof ApprovalSpecSchema>;

export const ModelSpecSchema = z.object({
  id: Identifier,
  owner: z.string().min(1, 'name the owner (an email address)'),
  description: z.string().default(''),
  riskClass: RiskClassSchema,
  task: TaskSchema.default('binary-classification'),
  intendedUse: z.string().default(''),
  limitations: z.string().default(''),
  data: DataSpecSchema,
  trainer: TrainerSchema.default({ kind: 'builtin', algorithm: 'logistic-regression', params: {}, seed: 7 }),
  offline: OfflineSpecSchema.default(OfflineSpecSchema.parse({})),
  slo: SloSpecSchema.default(SloSpecSchema.parse({})),
  strategy: StrategySchema.default(StrategySchema.parse({ kind: 'canary' })),
  approval: ApprovalSpecSchema.default(ApprovalSpecSchema.parse({})),
  /** Predictions with confidence below this go to the review queue. @default 0.6 */
  reviewConfidenceBelow: z.number().min(0).max(1).default(0.6),
  /** Watching the production model after promotion (drift, KPI, retrain). @default see MonitorSpecSchema */
  monitor: MonitorSpecSchema.optional(),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;

function abProblems(ab: AbStrategy): string[] {
  const range = ab.kpi.kind === 'mean' ? ab.kpi.max - ab.kpi.min : 1;
  if (ab.kpi.kind === 'mean' && !(range > 0)) return [`strategy.kpi.max: must be above kpi.min (${ab.kpi.min})`];
  return ab.minEffect < range ? [] : [`strategy.minEffect: ${ab.minEffect} is not below the KPI's range (${range}); give a smaller effect`];
}

/** Cross-field rules that a plain object schema cannot express. */
function crossFieldProblems(spec: ModelSpec): string[] {
  const problems: string[] = [];
  const features = new Set(spec.data.features);
  if (features.has(spec.data.label)) problems.push(`data.features: the label column "${spec.data.label}" must not also be a feature`);
  spec.data.categorical.forEach((c, i) => {
    if (!features.has(c)) problems.push(`data.categorical.${i}: "${c}" is not listed in data.features`);
  });
  spec.data.pii.forEach((p, i) => {
    if (p.column === spec.data.label) problems.push(`data.pii.${i}: the label column cannot be a PII column`);
    if (p.action === 'drop' && features.has(p.column)) problems.push(`data.pii.${i}: "${p.column}" is dropped but listed as a feature; remove it from data.features or hash it`);
  });
  if (spec.strategy.kind === 'canary') {
    const steps = spec.strategy.steps;
    steps.forEach((s, i) => {
      if (i > 0 && s <= steps[i - 1]) problems.push(`strategy.steps.${i}: steps must increase (${steps[i - 1]} then ${s})`);
    });
  }
  if (spec.strategy.kind === 'ab') problems.push(...abProblems(spec.strategy));
  for (const g of ['deploy', 'promote'] as const) {
    if (spec.approval.gates[g]?.auto && spec.riskClass !== 'low') problems.push(`approval.gates.${g}.auto: only low-risk models may auto-approve (riskClass is ${spec.riskClass})`);
  }
  return problems;
}

export type SpecParseResult = { ok: true; spec: ModelSpec } | { ok: false; problems: string[] };

/** Validates a parsed spec document; lists every problem by path. */
export function parseModelSpec(doc: unknown): SpecParseResult {
  const r = ModelSpecSchema.safeParse(doc);
  if (!r.success) return { ok: false, problems: formatIssues(r.error.issues) };
  const problems = crossFieldProblems(r.data);
  return problems.length ? { ok: false, problems } : { ok: true, spec: r.data };
}

/** JSON Schema for editors (written to schema/model-spec.schema.json by `mlgate spec schema`). */
export function modelSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ModelSpecSchema, { io: 'input' }) as Record<string, unknown>;
}
