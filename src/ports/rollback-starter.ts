/**
 * Starting a rollback under a given workflow id, for the monitor's SLO guard activity (which must
 * not hold a Temporal client itself). The id is derived from the breach, so starting twice (a
 * retried activity) finds the first one. The composition root injects the Temporal adapter.
 */
export interface GuardRollbackRequest {
  model: string;
  /** Named, not `previous`: a retry after the rollback ran must not roll back once more. */
  toArtifact: string;
  requester: string;
  reason: string;
  cause: 'slo_breach';
  /** The breached periods' SLO evidence, recorded in the rollback's audit record. */
  evidence: unknown;
}

export interface RollbackStarter {
  startOnce(workflowId: string, request: GuardRollbackRequest): Promise<{ rollbackId: string; alreadyStarted: boolean }>;
}
