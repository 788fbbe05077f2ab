/**
 * The audit record of one release (or one manual rollback): everything an auditor asks, derived
 * from the workflow histories alone (plus the refused-attempts log, which history cannot hold).
 * `schemaVersion` changes only with a breaking change; docs/audit-record.md documents each field.
 */
import { z } from 'zod';
import { ChannelSchema, DecisionValueSchema } from '../approval/decision';
import { ApprovalPolicySchema } from '../approval/policy';
import { EmailKindSchema } from '../approval/email';
import { GateStatusSchema } from '../approval/gate-state';
import { OfflineEvidenceSchema } from '../approval/views';
import { GateNameSchema } from '../spec';

const Time = z.string().describe('ISO-8601 time of the history event that recorded it');

export const AuditDecisionSchema = z.object({
  approver: z.string().describe('verified identity passed in by the approvals server or CLI'),
  decision: DecisionValueSchema,
  comment: z.string(),
  channel: ChannelSchema,
  at: Time,
  /** `update` = the validated decide Update; `signal` = the decision Signal; `policy` = auto-approval. */
  via: z.enum(['update', 'signal', 'policy']),
  eventId: z.number().int().optional(),
});
export type AuditDecision = z.infer<typeof AuditDecisionSchema>;

export const AuditNotificationSchema = z.object({
  kind: EmailKindSchema,
  at: Time,
  recipients: z.array(z.string()),
  sent: z.array(z.string()).optional(),
  error: z.string().optional(),
});

export const AuditGateSchema = z.object({
  gate: GateNameSchema,
  status: GateStatusSchema,
  required: z.number().int(),
  approvers: z.array(z.string()).describe('who could decide (requester and, under separation of duties, owner removed)'),
  openedAt: z.string().optional(),
  deadline: z.string().optional(),
  closedAt: z.string().optional(),
  closedReason: z.string().optional(),
  notifications: z.array(AuditNotificationSchema),
  decisions: z.array(AuditDecisionSchema),
});
export type AuditGate = z.infer<typeof AuditGateSchema>;

export const AuditRefusedAttemptSchema = z.object({
  at: z.string(),
  who: z.string(),
  gate: z.string(),
  channel: z.string(),
  code: z.string(),
  reason: z.string(),
  /** `log` = the refused-attempts log (written by the approvals server and the CLI); `signal` = a signal the workflow refused. */
  source: z.enum(['log', 'signal']),
});

/**
 * How a watched step ended. `fail` is a measured SLO breach, `inconclusive` too little evidence
 * (thin traffic), `error` could not measure (the metrics source stayed unreachable past
 * `slo.consecutiveErrorLimit`), `watch_failed` the watch activity itself failed, `running` not ended.
 */
export const AuditStepVerdictSchema = z.enum(['pass', 'fail', 'inconclusive', 'error', 'watch_failed', 'running']);

export const AuditRolloutStepSchema = z.object({
  percent: z.number().describe('candidate traffic share; 0 for a shadow bake'),
  mode: z.string(),
  routing: z.unknown().describe('the routing the step set on the gateway'),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  verdict: AuditStepVerdictSchema.optional(),
  reason: z.string().optional(),
  /** Measurements of the step that failed because the metrics source could not be read (absent in watches recorded before it was counted). */
  metricsErrors: z.number().int().nonnegative().optional().describe('failed measurements (metrics source unreachable) during the step'),
  evidence: z.unknown().describe('the analysis: checks, windows, sample counts'),
  samples: z.array(z.unknown()),
  /** A/B steps: the verdict and evidence are the KPI experiment's (winner = pass, loser = fail). */
  experiment: z.boolean().optional().describe('true when the step was an A/B experiment'),
});

export const AuditRolloutSchema = z.object({
  workflowId: z.string(),
  verdict: z.string().optional(),
  reason: z.string().optional(),
  steps: z.array(AuditRolloutStepSchema),
});

export const AuditRollbackSchema = z.object({
  at: z.string(),
  /** What caused it: failed analysis, a gate, a person's command, a cancellation, a failure, or the monitor's SLO guard. */
  cause: z.enum(['rollout_analysis', 'post_promotion_watch', 'gate', 'manual', 'cancellation', 'failure', 'conflict', 'slo_breach']),
  by: z.string().describe('`mlgate` for automatic rollbacks, else the person'),
  reason: z.string(),
  evidence: z.unknown(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  restoredRouting: z.unknown(),
  aliases: z.unknown(),
});

export const AuditPromotionSchema = z.object({
  at: z.string(),
  artifactId: z.string(),
  previousChampion: z.string().nullable(),
  aliases: z.unknown(),
  routing: z.unknown(),
  watch: z.object({ verdict: z.string(), reason: z.string(), evidence: z.unknown() }).optional(),
});

export const AuditHistoryRefSchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  workflowType: z.string(),
  eventCount: z.number().int().positive(),
  digest: z.string().regex(/^[a-f0-9]{64}$/).describe('sha256 over the canonical encoding of this run\'s events'),
});
export type AuditHistoryRef = z.infer<typeof AuditHistoryRefSchema>;

export const AuditRecordSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.enum(['release', 'rollback']),
  releaseId: z.string(),
  model: z.string(),
  trigger: z.object({
    requester: z.string(),
    reason: z.string().describe('manual, schedule or drift for releases; free text for rollbacks'),
    reasonDetail: z.string(),
    at: z.string(),
    identity: z.string().optional().describe('the client identity Temporal recorded (self-reported)'),
  }),
  spec: z.object({ riskClass: z.string(), owner: z.string(), hash: z.string(), policyHash: z.string(), policy: ApprovalPolicySchema, document: z.unknown() }).optional(),
  lineage: z.object({
    snapshotId: z.string().optional(),
    dataSource: z.unknown(),
    trainRows: z.number().optional(),
    testRows: z.number().optional(),
    codeVersion: z.string().optional(),
    trainer: z.string().optional(),
    algorithm: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    seed: z.number().optional(),
    artifactId: z.string().optional(),
  }).optional(),
  offline: z.object({ championArtifactId: z.string().nullable(), evidence: OfflineEvidenceSchema, pass: z.boolean(), reasons: z.array(z.string()) }).optional(),
  gates: z.array(AuditGateSchema),
  refusedAttempts: z.array(AuditRefusedAttemptSchema),
  rollout: AuditRolloutSchema.optional(),
  promotion: AuditPromotionSchema.optional(),
  rollback: AuditRollbackSchema.optional(),
  final: z.object({
    status: z.enum(['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out']),
    outcome: z.string().optional(),
    reasons: z.array(z.string()),
    closedAt: z.string().optional(),
    stages: z.array(z.object({ stage: z.string(), at: z.string() })),
  }),
  histories: z.array(AuditHistoryRefSchema).min(1),
  integrity: z.object({
    algorithm: z.literal('sha256'),
    historyDigest: z.string().regex(/^[a-f0-9]{64}$/).describe('sha256 over the canonical list of `histories` (id, run, type, count, digest)'),
    recordDigest: z.string().regex(/^[a-f0-9]{64}$/).describe('sha256 over the canonical record with this field removed'),
  }),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
/** The record before the client side seals it with digests. */
export type AuditBody = Omit<AuditRecord, 'histories' | 'integrity'>;
