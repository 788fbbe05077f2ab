/**
 * `mlgate releases [--model m] [--stage s] [--outcome o] [--since t]`: the filters, validated,
 * and the visibility query they become. Pure: `now` is passed in so `--since 7d` is testable.
 */
import { z } from 'zod';
import { DurationSchema, durationMs } from '../duration';
import { Outcome, Stage } from '../release';

const ModelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'expected a model id such as "credit-risk" (letters, digits, - and _)');

export const ReleaseFiltersSchema = z.object({
  model: ModelIdSchema.optional(),
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]], { message: `expected one of: ${Object.values(Stage).join(', ')}` }).optional(),
  outcome: z.enum(Object.values(Outcome) as [Outcome, ...Outcome[]], { message: `expected one of: ${Object.values(Outcome).join(', ')}` }).optional(),
  /** An ISO time (`2026-01-31T00:00:00Z`) or a duration back from now (`24h`, `7d`). */
  since: z.union([z.iso.datetime({ offset: true }), DurationSchema], { message: 'expected an ISO time such as 2026-01-31T00:00:00Z or a duration such as 24h or 7d' }).optional(),
  /** @default 100 */
  limit: z.coerce.number().int('expected a whole number').min(1, 'list at least 1 release').max(10_000, 'list at most 10000 releases at once').default(100),
});
export type ReleaseFilters = z.infer<typeof ReleaseFiltersSchema>;
export type ReleaseFiltersInput = z.input<typeof ReleaseFiltersSchema>;

/** The lower time bound of `--since`, as an ISO time. */
export function sinceTime(since: string, now: Date): string {
  return DurationSchema.safeParse(since).success ? new Date(now.getTime() - durationMs(since)).toISOString() : new Date(since).toISOString();
}

/** Visibility query for releases; values come from validated filters, so quoting is safe. */
export function releasesQuery(filters: ReleaseFilters, now: Date, workflowType = 'releaseWorkflow'): string {
  const parts = [`WorkflowType = "${workflowType}"`];
  if (filters.model) parts.push(`mlgateModel = "${filters.model}"`);
  if (filters.stage) parts.push(`mlgateStage = "${filters.stage}"`);
  if (filters.outcome) parts.push(`mlgateOutcome = "${filters.outcome}"`);
  if (filters.since) parts.push(`StartTime >= "${sinceTime(filters.since, now)}"`);
  return parts.join(' AND ');
}
