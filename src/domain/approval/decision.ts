/** One person's decision on a gate, and the record of a refused attempt. Pure, sandbox-safe. */
import { z } from 'zod';
import { GateNameSchema } from '../spec';

export const Channel = { cli: 'cli', api: 'api', email: 'email', console: 'console', signal: 'signal', auto: 'auto' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const ChannelSchema = z.enum(Channel);

export const DecisionValue = { approve: 'approve', reject: 'reject' } as const;
export type DecisionValue = (typeof DecisionValue)[keyof typeof DecisionValue];
export const DecisionValueSchema = z.enum(DecisionValue);

/** ISO-8601 timestamp. Pure code never reads the clock: callers pass `workflow`-time or wall time. */
export const IsoTimeSchema = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time such as 2026-01-31T12:00:00.000Z' });

export const DecisionSchema = z.object({
  gate: GateNameSchema,
  /** The verified identity (an email), set by the approvals server, never taken from a request body. */
  approver: z.string().trim().min(1, 'name the approver (an email address)'),
  decision: DecisionValueSchema,
  /** @default "" */
  comment: z.string().max(2000, 'keep the comment under 2000 characters').default(''),
  channel: ChannelSchema,
  at: IsoTimeSchema,
  /** The workflow run the decider saw; a decision for an earlier run is refused. */
  runId: z.string().min(1).optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;
export type DecisionInput = z.input<typeof DecisionSchema>;

export const RefusalCode = {
  GATE_NOT_OPEN: 'GATE_NOT_OPEN',
  NOT_ALLOWED: 'NOT_ALLOWED',
  SELF_APPROVAL: 'SELF_APPROVAL',
  ALREADY_VOTED: 'ALREADY_VOTED',
  SIGNALS_DISABLED: 'SIGNALS_DISABLED',
  RELEASE_MOVED_ON: 'RELEASE_MOVED_ON',
  INVALID: 'INVALID',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];
export const RefusalCodeSchema = z.enum(RefusalCode);

export const RefusedAttemptSchema = z.object({
  gate: GateNameSchema,
  approver: z.string(),
  decision: DecisionValueSchema.optional(),
  channel: ChannelSchema,
  at: z.string(),
  code: RefusalCodeSchema,
  reason: z.string(),
});
export type RefusedAttempt = z.infer<typeof RefusedAttemptSchema>;

export type Validation = { ok: true } | { ok: false; reason: string; code: RefusalCode };
