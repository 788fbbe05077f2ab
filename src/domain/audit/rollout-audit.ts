/**
 * A release's rollout as audit steps: each routing change with the analysis that judged it. Read
 * from the rollout child's history (releases recorded before the 'rollout-in-release' patch) or
 * from the release's own history, where the rollout's calls come before the promotion.
 */
import { abExperimentReason, abSloBreachReason, rolloutStepReason } from '../release-evidence';
import { activityCalls, at, first, str, type ActivityCall, type AuditHistory } from './audit-event';
import type { AuditRecord } from './audit-record';

type Rollout = NonNullable<AuditRecord['rollout']>;
type Step = Rollout['steps'][number];

/** A step's traffic share and mode from the setRouting call that opened it (100 without a candidate; 0 for shadow). */
export function percentOf(routing: unknown): { percent: number; mode: string } {
  const candidate = at(routing, 'candidate');
  if (!candidate) return { percent: 100, mode: 'full' };
  const mode = str(at(candidate, 'mode')) ?? 'canary';
  return { percent: mode === 'shadow' ? 0 : Number(at(candidate, 'weight') ?? 0), mode };
}

const EXPERIMENT_VERDICT: Record<string, string> = { winner: 'pass', loser: 'fail', inconclusive: 'inconclusive' };

/**
 * An A/B step (`watchExperiment`): the experiment's call is the step's verdict, and its KPI curve
 * the evidence. An experiment cancelled by an SLO breach leaves the SLO watch's verdict standing.
 */
function auditExperiment(step: Step, call: ReturnType<typeof activityCalls>[number]): void {
  const experiment = at(call.result, 'experiment');
  if (!experiment) return;
  const verdict = str(at(experiment, 'verdict')) ?? 'inconclusive';
  Object.assign(step, {
    ...(call.closedAt ? { endedAt: call.closedAt } : {}),
    verdict: EXPERIMENT_VERDICT[verdict] ?? verdict,
    reason: `A/B ${verdict}: ${str(at(experiment, 'reason')) ?? ''}`,
    evidence: experiment,
    experiment: true,
  });
}

function stepsOf(calls: readonly ActivityCall[]): Step[] {
  const steps: Step[] = [];
  for (const call of calls) {
    if (call.activityType === 'setRouting') {
      const routing = at(call.input, 'routing');
      steps.push({ ...percentOf(routing), routing, startedAt: call.scheduledAt, evidence: null, samples: [] });
      continue;
    }
    const step = steps[steps.length - 1];
    if (call.activityType === 'watchExperiment' && step) {
      auditExperiment(step, call);
      continue;
    }
    if (call.activityType !== 'watchRollout' || !step) continue;
    // An A/B step's SLO watch is cancelled once the experiment decides: the experiment's call stands.
    if (step.experiment && !call.result) continue;
    const samples = at(call.result, 'samples');
    const metricsErrors = at(call.result, 'metricsErrors');
    Object.assign(step, {
      ...(call.closedAt ? { endedAt: call.closedAt } : {}),
      // A failed watch activity is not a metrics `error`: the record keeps the two apart.
      verdict: str(at(call.result, 'verdict')) ?? (call.failure ? 'watch_failed' : 'running'),
      ...(typeof metricsErrors === 'number' ? { metricsErrors } : {}),
      reason: str(at(call.result, 'reason')) ?? call.failure,
      evidence: at(call.result, 'evidence') ?? null,
      samples: Array.isArray(samples) ? samples : [],
    });
  }
  return steps;
}

/** The rollout child's history: its result is the rollout's verdict and reason. */
export function auditRollout(child: AuditHistory): Rollout {
  const steps = stepsOf(activityCalls(child.events));
  const done = child.events.find((e) => e.type === 'WORKFLOW_EXECUTION_COMPLETED');
  const result = first(done?.attrs.result);
  return { workflowId: child.workflowId, ...(result ? { verdict: str(at(result, 'verdict')), reason: str(at(result, 'reason')) } : {}), steps };
}

const ROLLOUT_CALLS: ReadonlySet<string> = new Set(['setRouting', 'watchRollout', 'watchExperiment']);

/**
 * The verdict and reason the rollout returned to its release, rebuilt from the watch that decided
 * it, as the rollout code words them. None while the deciding watch has not returned.
 */
function outcomeOf(calls: readonly ActivityCall[], last: Step): { verdict?: string; reason?: string } {
  const result = (type: string) => calls.filter((c) => c.activityType === type).at(-1)?.result;
  const watch = result('watchRollout');
  const verdict = str(at(watch, 'verdict'));
  const reason = str(at(watch, 'reason'));
  if (calls.some((c) => c.activityType === 'watchExperiment')) {
    const e = at(result('watchExperiment'), 'experiment');
    const ev = str(at(e, 'verdict'));
    if (ev) return { verdict: EXPERIMENT_VERDICT[ev] ?? ev, reason: abExperimentReason(last.percent, ev, str(at(e, 'reason')) ?? '') };
    return verdict === 'fail' && reason !== undefined ? { verdict, reason: abSloBreachReason(last.percent, reason) } : {};
  }
  if (verdict === undefined || reason === undefined) return {};
  return { verdict, reason: rolloutStepReason(last, reason) };
}

/** The rollout a release ran itself: its routing moves and watches before the promotion; undefined if it never moved traffic. */
export function auditRolloutInRelease(release: Pick<AuditHistory, 'workflowId' | 'events'>): Rollout | undefined {
  const all = activityCalls(release.events);
  const promotedAt = all.find((c) => c.activityType === 'promoteRelease')?.scheduledEventId ?? Infinity;
  const calls = all.filter((c) => ROLLOUT_CALLS.has(c.activityType) && c.scheduledEventId < promotedAt);
  const steps = stepsOf(calls);
  const last = steps.at(-1);
  if (!last) return undefined;
  return { workflowId: release.workflowId, ...outcomeOf(calls, last), steps };
}
