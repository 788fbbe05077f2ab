/**
 * Runs one approval gate inside the release workflow: open it per policy, mail the approvers,
 * then wait for a quorum, a reject, a reminder time or the deadline (timers, never sleeping
 * processes). Decisions arrive through the Update/Signal handlers, which change the gate state.
 */
import { condition, log } from '@temporalio/workflow';
import { awaitingApprovers, isDecidable, msUntilDeadline, nextReminder, openGate, applyTimeout, type GateState } from '../domain/approval/gate-state';
import type { ApprovalPolicy } from '../domain/approval/policy';
import type { GateName } from '../domain/spec';

export type MailKind = 'opened' | 'reminder' | 'escalation';

export interface GateRunner {
  policy: ApprovalPolicy;
  requester: string;
  owner: string;
  get(gate: GateName): GateState;
  set(state: GateState): void;
  nowIso(): string;
  /** Fire-and-forget: mail failures are retried by the activity and never block the gate. */
  notify(kind: MailKind, state: GateState, recipients: string[], sequence: number): void;
}

function nextWakeMs(state: GateState, r: GateRunner, now: string): { waitMs?: number; reminderAt?: number } {
  const untilDeadline = msUntilDeadline(state, now);
  const reminder = nextReminder(state, r.policy, now);
  const untilReminder = reminder ? Date.parse(reminder.at) - Date.parse(now) : undefined;
  if (untilReminder !== undefined && (untilDeadline === undefined || untilReminder < untilDeadline)) {
    return { waitMs: untilReminder, reminderAt: Date.parse(reminder!.at) };
  }
  return { waitMs: untilDeadline };
}

export async function runGate(r: GateRunner, gate: GateName): Promise<GateState> {
  const opened = openGate(r.policy, gate, { requester: r.requester, owner: r.owner, at: r.nowIso() });
  r.set(opened);
  if (!isDecidable(opened)) return opened;
  r.notify('opened', opened, opened.approvers, 0);
  let reminders = 0;
  while (isDecidable(r.get(gate))) {
    const { waitMs, reminderAt } = nextWakeMs(r.get(gate), r, r.nowIso());
    const decided = waitMs === undefined ? (await condition(() => !isDecidable(r.get(gate))), true) : await condition(() => !isDecidable(r.get(gate)), Math.max(1, waitMs));
    if (decided) break;
    if (reminderAt !== undefined) {
      reminders += 1;
      r.notify('reminder', r.get(gate), awaitingApprovers(r.get(gate)), reminders);
      continue;
    }
    const next = applyTimeout(r.get(gate), r.policy, r.nowIso());
    r.set(next);
    log.info('gate deadline passed', { gate, status: next.status });
    if (next.status === 'escalated') r.notify('escalation', next, awaitingApprovers(next), 0);
  }
  return r.get(gate);
}
