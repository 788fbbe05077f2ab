/**
 * `mlgate rollback <model> [--to <artifact>]`: one command restores the previous (or a named)
 * artifact in the gateway and the registry, as a workflow, so it has the same audit record as a
 * release: who asked, why, what served before and after.
 */
import { ApplicationFailure, proxyActivities, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ManualRollbackResult } from '../activities/deploy';
import { ErrorType } from '../domain/errors';
import { OutcomeKey, StageKey } from './search-attributes';

export interface RollbackRequest {
  model: string;
  toArtifact?: string;
  requester: string;
  reason: string;
  /** Who or what caused it; the monitor's SLO guard says `slo_breach`. @default "manual" */
  cause?: 'manual' | 'slo_breach';
  /** The SLO guard's evidence (the breached periods), for the audit record. */
  evidence?: unknown;
}

const act = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 10, initialInterval: '500ms' } });

export async function rollbackWorkflow(req: RollbackRequest): Promise<ManualRollbackResult> {
  const id = workflowInfo().workflowId;
  // A release in its deploy phase owns the routing: wait briefly, then tell the person what to do.
  for (let i = 0; ; i++) {
    const lock = await act.acquireReleaseLock({ model: req.model, releaseId: id });
    if (lock.ok) break;
    if (i >= 5) throw ApplicationFailure.create({ type: ErrorType.ReleaseLocked, nonRetryable: true, message: `${lock.holder} is deploying ${req.model}; cancel it (mlgate cancel ${lock.holder}) — its rollback runs by itself` });
    await sleep('1s');
  }
  try {
    upsertSearchAttributes([{ key: StageKey, value: 'rolling_back' }]);
    const result = await act.rollbackModel({ model: req.model, toArtifact: req.toArtifact, requester: req.requester, reason: req.reason, rollbackId: id });
    upsertSearchAttributes([{ key: StageKey, value: 'done' }, { key: OutcomeKey, value: 'rolled_back' }]);
    return result;
  } finally {
    await act.releaseReleaseLock({ model: req.model, releaseId: id });
  }
}
