/**
 * A real release environment with a real approvals server in front of the Temporal-backed ports
 * (the production wiring of `mlgate server`, as the gate tests build it), for hostile requests.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import { SECRET } from '../../helpers/release-env';
import { openGateEnv, type GateEnv } from '../gates/gate-env';

export { SECRET };

export interface ApprovalsEnv extends GateEnv {
  /** What a hostile request must not change: the status the workflow reports and its history length. */
  fingerprint(handle: WorkflowHandle): Promise<{ status: ReleaseStatus; events: number }>;
}

export async function openApprovalsEnv(): Promise<ApprovalsEnv> {
  const env = await openGateEnv();
  return {
    ...env,
    async fingerprint(handle) {
      const history = await handle.fetchHistory();
      return { status: await env.status(handle), events: history.events?.length ?? 0 };
    },
  };
}
