/**
 * The audit body of a rollback workflow (`mlgate rollback <model>`, or the monitor's SLO guard):
 * who asked and why, what served before and after, and the routing and aliases restored.
 */
import { z } from 'zod';
import { activityCalls, at, first, str, type AuditHistory } from './audit-event';
import type { AuditBody } from './audit-record';
import { finalState } from './final-state';

/** The rollback workflow's argument, read defensively (history is external input). */
const RollbackRequestSchema = z.object({
  model: z.string(), toArtifact: z.string().optional(), requester: z.string(), reason: z.string(),
  cause: z.enum(['manual', 'slo_breach']).default('manual'), evidence: z.unknown().optional(),
});

export function auditManualRollback(runs: AuditHistory[]): AuditBody {
  const events = runs.flatMap((r) => r.events);
  const started = events[0];
  const parsed = RollbackRequestSchema.safeParse(first(started?.attrs.input));
  if (!parsed.success) throw new Error('the first history event does not carry a valid rollback request; is this a rollbackWorkflow history?');
  const req = parsed.data;
  const done = activityCalls(events).find((c) => c.activityType === 'rollbackModel');
  return {
    schemaVersion: 1,
    kind: 'rollback',
    releaseId: runs[0].workflowId,
    model: req.model,
    trigger: { requester: req.requester, reason: req.reason, reasonDetail: req.toArtifact ? `to ${req.toArtifact}` : 'to the previous artifact', at: started.time, ...(str(started.attrs.identity) ? { identity: str(started.attrs.identity) } : {}) },
    gates: [],
    refusedAttempts: [],
    ...(done
      ? {
          rollback: {
            at: done.closedAt ?? done.scheduledAt, cause: req.cause, by: req.requester, reason: req.reason,
            evidence: { requestedTarget: req.toArtifact ?? 'previous', ...(req.evidence !== undefined ? { slo: req.evidence } : {}), ...(done.failure ? { error: done.failure } : {}) },
            from: (at(done.result, 'from') as string | null | undefined) ?? null, to: str(at(done.result, 'to')) ?? req.toArtifact ?? null,
            restoredRouting: at(done.result, 'routing') ?? null, aliases: at(done.result, 'aliases') ?? null,
          },
        }
      : {}),
    final: finalState(events),
  };
}
