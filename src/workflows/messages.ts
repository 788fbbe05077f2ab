/**
 * Messages of the release workflow: the decision Update (validated, acknowledged synchronously),
 * the same decision as a Signal (for the Temporal UI and systems that can only signal), and the
 * status Query. Clients import these definitions; the workflow sets their handlers.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { GateStatus } from '../domain/approval/gate-state';
import type { DecisionValue, Channel } from '../domain/approval/decision';
import type { GateName } from '../domain/spec';
import type { ReleaseStatus } from '../domain/release-status';

/** A decision as callers send it; the workflow stamps the time. `approver` is the verified identity. */
export interface DecideArgs {
  gate: GateName;
  approver: string;
  decision: DecisionValue;
  comment?: string;
  channel: Exclude<Channel, 'auto' | 'signal'>;
  /** The run the decider looked at; a decision for an older run of the same id is refused. */
  runId?: string;
}

/** What a signal carries: same payload, channel implied. */
export type DecisionSignalArgs = Omit<DecideArgs, 'channel'>;

export const decideUpdate = defineUpdate<{ gateStatus: GateStatus }, [DecideArgs]>('decide');
export const decisionSignal = defineSignal<[DecisionSignalArgs]>('decision');
export const statusQuery = defineQuery<ReleaseStatus>('status');
