/**
 * The rollout watches of one release, read back from its histories for what-if replays: each
 * `watchRollout` call's input (versions, mode, SLO, alpha share) and result (verdict, reason, the
 * per-poll trace), in the order they ran: the rollout's steps, then the release's post-promotion
 * watch. Pure: the client side (src/audit) fetches and decodes.
 */
import { RolloutModeSchema } from '../routing';
import { SloSpecSchema } from '../spec';
import { EvidenceTraceSchema } from '../analysis/evidence-trace';
import type { RecordedWatch } from '../analysis/what-if';
import { z } from 'zod';
import { Verdict } from '../analysis/verdict';
import { rolloutStepLabel } from '../release-evidence';
import { activityCalls, at, str, type ActivityCall, type AuditHistory } from './audit-event';
import { percentOf } from './rollout-audit';


const VerdictSchema = z.enum(Verdict);

function recorded(call: ActivityCall, label: string): RecordedWatch | null {
  const slo = SloSpecSchema.safeParse(at(call.input, 'slo'));
  const mode = RolloutModeSchema.safeParse(at(call.input, 'mode'));
  const verdict = VerdictSchema.safeParse(at(call.result, 'verdict'));
  const candidateVersion = str(at(call.input, 'candidateVersion'));
  if (!slo.success || !mode.success || !verdict.success || !candidateVersion) return null;
  const trace = EvidenceTraceSchema.safeParse(at(call.result, 'trace'));
  const watches = at(call.input, 'watches');
  return {
    label,
    candidateVersion,
    stableVersion: str(at(call.input, 'stableVersion')) ?? null,
    mode: mode.data,
    slo: slo.data,
    ...(typeof watches === 'number' ? { watches } : {}),
    verdict: verdict.data,
    reason: str(at(call.result, 'reason')) ?? '',
    ...(trace.success ? { trace: trace.data } : {}),
  };
}

/** A watch before the promotion is a rollout step (in a rollout child there is none); after it, the post-promotion watch. */
function watchesIn(history: AuditHistory): RecordedWatch[] {
  const out: RecordedWatch[] = [];
  let routing: unknown;
  let promoted = false;
  for (const call of activityCalls(history.events)) {
    if (call.activityType === 'promoteRelease') promoted = true;
    if (call.activityType === 'setRouting') routing = at(call.input, 'routing');
    if (call.activityType !== 'watchRollout' || call.result === undefined) continue;
    const w = recorded(call, promoted ? 'post-promotion watch' : rolloutStepLabel(percentOf(routing)));
    if (w) out.push(w);
  }
  return out;
}

/**
 * Every completed watch of a release, in the order they ran: the rollout's steps (in the rollout
 * child of older releases, or in the release itself), then the post-promotion watch.
 */
export function recordedWatches(runs: readonly AuditHistory[], children: readonly AuditHistory[]): RecordedWatch[] {
  const rollout = children.filter((c) => c.workflowType === 'rolloutWorkflow').flatMap(watchesIn);
  return [...rollout, ...runs.flatMap(watchesIn)];
}
