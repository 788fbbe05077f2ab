/**
 * The release: its input, its stages and outcomes, and the status the workflow reports.
 * Pure and sandbox-safe: the workflow, the CLI and the servers share these shapes.
 */
import { z } from 'zod';
import { ModelSpecSchema } from './spec';

/** Explicit phases, in order (cf. Argo Rollouts' and Flagger's phase enums). */
export const Stage = {
  queued: 'queued',
  snapshot: 'snapshot',
  train: 'train',
  evaluate: 'evaluate',
  register: 'register',
  awaitingDeployApproval: 'awaiting_deploy_approval',
  waitingForLock: 'waiting_for_lock',
  rollout: 'rollout',
  kpiBake: 'kpi_bake',
  awaitingPromoteApproval: 'awaiting_promote_approval',
  promoting: 'promoting',
  postPromotionWatch: 'post_promotion_watch',
  rollingBack: 'rolling_back',
  done: 'done',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** How a release ended. */
export const Outcome = {
  promoted: 'promoted',
  rejectedOffline: 'rejected_offline',
  rejectedAtGate: 'rejected_at_gate',
  gateTimedOut: 'gate_timed_out',
  rolledBack: 'rolled_back',
  superseded: 'superseded',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export const TriggerReason = { manual: 'manual', schedule: 'schedule', drift: 'drift' } as const;
export type TriggerReason = (typeof TriggerReason)[keyof typeof TriggerReason];
export const TriggerReasonSchema = z.enum(TriggerReason);

/** What starts a release. Secrets never travel here: they stay in the worker's environment. */
export const ShortStepsSchema = z.enum(['local', 'activities']);
export type ShortSteps = z.infer<typeof ShortStepsSchema>;
export const RolloutInSchema = z.enum(['release', 'child']);
export type RolloutIn = z.infer<typeof RolloutInSchema>;

export const ReleaseInputSchema = z.object({
  spec: ModelSpecSchema,
  /** Folder the spec was read from; relative data paths resolve against it on the worker. */
  specDir: z.string().min(1),
  /** Who asked for the release (separation of duties keys on this). */
  requester: z.string().min(1),
  /** @default "manual" */
  reason: TriggerReasonSchema.default('manual'),
  /** Free text or a link to the evidence that triggered it (e.g. a drift report). @default "" */
  reasonDetail: z.string().default(''),
  codeVersion: z.string().min(1),
  /** Task queue of training activities. @default the release's own queue */
  trainingTaskQueue: z.string().optional(),
  /** How long to wait for another release of the same model to leave its deploy phase. @default "30m" */
  lockWait: z.string().default('30m'),
  /**
   * How the short registry steps run: `local` (local activities, inside the workflow task: fewer
   * round trips through Temporal) or `activities` (ordinary activities, as before #16). @default "local"
   */
  shortSteps: ShortStepsSchema.default('local'),
  /**
   * Where the canary or shadow rollout runs: `release` (in the release workflow itself) or `child`
   * (a child workflow, `<releaseId>-rollout`, as before #16; the benchmarks' baseline). @default "release"
   */
  rolloutIn: RolloutInSchema.default('release'),
});
export type ReleaseInput = z.infer<typeof ReleaseInputSchema>;
export type ReleaseInputRaw = z.input<typeof ReleaseInputSchema>;

/** The business key: `release-<model>-<n>`. */
export function releaseId(model: string, n: number): string {
  return `release-${model}-${n}`;
}

/** Business key of the n-th manual rollback of a model (`mlgate rollback`). */
export function rollbackId(model: string, n: number): string {
  return `rollback-${model}-${n}`;
}

export interface ReleaseResult {
  releaseId: string;
  model: string;
  outcome: Outcome;
  artifactId?: string;
  snapshotId?: string;
  reasons: string[];
}
