/** Picks the builder for the root workflow's type: a release or a manual rollback. */
import type { AuditHistory } from './audit-event';
import type { AuditBody } from './audit-record';
import { auditManualRollback } from './rollback-audit';
import { auditRelease, type RefusedLogEntry } from './release-audit';

export interface AuditBodyInput {
  /** Every run of the root workflow, oldest first (continue-as-new keeps one record). */
  runs: AuditHistory[];
  /** Child workflow runs (the rollout). */
  children: AuditHistory[];
  /** From the approvals store; history cannot hold them. @default [] */
  refusedAttempts?: readonly RefusedLogEntry[];
  /** Hex sha256 of a string; injected so this code stays pure. */
  hash: (text: string) => string;
}

export function buildAuditBody(input: AuditBodyInput): AuditBody {
  const type = input.runs[0]?.workflowType;
  if (type === 'releaseWorkflow') return auditRelease({ ...input, refusedAttempts: input.refusedAttempts ?? [] });
  if (type === 'rollbackWorkflow') return auditManualRollback(input.runs);
  throw new Error(`workflow type ${type ?? '(none)'} has no audit record; audit a release (release-<model>-<n>) or a rollback`);
}
