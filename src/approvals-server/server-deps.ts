/** What route handlers share; built once by createApprovalsServer. */
import type { Channel } from '../domain/approval/decision';
import type { ApprovalsStore } from '../ports/approvals-store';
import type { DecisionPort, ReleaseReader } from '../ports/decisions';

export type ServerDeps = {
  secret: string;
  store: ApprovalsStore;
  decide: DecisionPort;
  readRelease: ReleaseReader;
  now: () => Date;
  logRefusal(r: { releaseId: string; runId?: string; gate: string; approver: string; channel: Channel; code: string; reason: string }): Promise<void>;
};
