/**
 * The approvals server's ports implemented with Temporal: a decision is an Update whose validator
 * applies the policy (refusals come back synchronously and never reach history); reading a release
 * is the status Query; pending gates come from visibility (search attributes) plus the Query.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { awaitingApprovers, isDecidable } from '../../domain/approval/gate-state';
import { RefusalCodeSchema } from '../../domain/approval/decision';
import type { PendingGate } from '../../domain/approval/views';
import { sameIdentity } from '../../domain/approval/policy';
import { ErrorType } from '../../domain/errors';
import type { ReleaseStatus } from '../../domain/release-status';
import type { DecideRequest, DecideResult, DecisionPort, ReleaseReader } from '../../ports/decisions';
import { decideUpdate, statusQuery } from '../../workflows/messages';

export type ReleasePorts = DecisionPort & ReleaseReader & { status(releaseId: string): Promise<ReleaseStatus | null> };

function refusal(err: unknown): DecideResult | null {
  if (err instanceof WorkflowNotFoundError) return { accepted: false, code: 'RELEASE_MOVED_ON', reason: 'no running release with that id (it finished or never existed)' };
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ErrorType.DecisionRefused) {
    const code = RefusalCodeSchema.safeParse(err.cause.details?.[0]);
    return { accepted: false, code: code.success ? code.data : 'INVALID', reason: err.cause.message };
  }
  return null;
}

export function createReleasePorts({ client }: { client: Client }): ReleasePorts {
  const status = async (releaseId: string): Promise<ReleaseStatus | null> => {
    try {
      return await client.workflow.getHandle(releaseId).query(statusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  };
  return {
    status,
    get: status,
    async decide(req: DecideRequest): Promise<DecideResult> {
      if (req.channel === 'signal' || req.channel === 'auto') return { accepted: false, code: 'INVALID', reason: `channel ${req.channel} cannot be used through the approvals server` };
      try {
        const handle = client.workflow.getHandle(req.releaseId);
        const r = await handle.executeUpdate(decideUpdate, {
          args: [{ gate: req.gate, approver: req.approver, decision: req.decision, comment: req.comment, channel: req.channel, ...(req.runId ? { runId: req.runId } : {}) }],
        });
        return { accepted: true, gateStatus: r.gateStatus };
      } catch (err) {
        const r = refusal(err);
        if (r) return r;
        if ((err as Error).message?.includes('workflow execution already completed')) return { accepted: false, code: 'RELEASE_MOVED_ON', reason: 'the release has already finished' };
        throw err;
      }
    },
    async listPending(approver?: string): Promise<PendingGate[]> {
      const out: PendingGate[] = [];
      const query = `ExecutionStatus = "Running" AND mlgateStage IN ("awaiting_deploy_approval", "awaiting_promote_approval")`;
      for await (const wf of client.workflow.list({ query })) {
        const st = await status(wf.workflowId);
        for (const g of st?.gates ?? []) {
          if (!st || !isDecidable(g)) continue;
          const waiting = awaitingApprovers(g);
          if (approver && !waiting.some((a) => sameIdentity(a, approver))) continue;
          out.push({ releaseId: st.releaseId, runId: st.runId, model: st.model, riskClass: st.riskClass, gate: g.gate, openedAt: g.openedAt, deadline: g.deadline, required: g.required, approvals: g.decisions.filter((d) => d.decision === 'approve').length, approvers: waiting });
        }
      }
      return out;
    },
  };
}
