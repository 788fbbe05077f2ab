/**
 * What the approvals server needs from the orchestrator: deciding a gate and reading releases.
 * `adapters/decisions/temporal.ts` implements both with Temporal (an Update with a validator for
 * `decide`, the status query for `get`); unit-level tests implement them in memory with the same
 * pure gate rules.
 */
import type { Channel, DecisionValue, RefusalCode } from '../domain/approval/decision';
import type { GateStatus } from '../domain/approval/gate-state';
import type { PendingGate, ReleaseView } from '../domain/approval/views';
import type { GateName } from '../domain/spec';

export type DecideRequest = {
  releaseId: string;
  /** The run the decider saw; omitted means "the current run". */
  runId?: string;
  gate: GateName;
  /** The verified identity: from a signed link or an API token, never from a request body. */
  approver: string;
  decision: DecisionValue;
  comment: string;
  channel: Channel;
};

export type DecideResult = { accepted: true; gateStatus: GateStatus } | { accepted: false; reason: string; code: RefusalCode };

export type DecisionPort = {
  decide(req: DecideRequest): Promise<DecideResult>;
};

export type ReleaseReader = {
  get(releaseId: string): Promise<ReleaseView | null>;
  /** Open gates; with `approver`, only those where that person may still decide. */
  listPending(approver?: string): Promise<PendingGate[]>;
};
