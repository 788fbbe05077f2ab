/** The rollout child's history as audit steps: each routing change with the analysis that judged it. */
import { activityCalls, at, first, str, type AuditHistory } from './audit-event';
import type { AuditRecord } from './audit-record';

type Rollout = NonNullable<AuditRecord['rollout']>;
type Step = Rollout['steps'][number];

function percentOf(routing: unknown): { percent: number; mode: string } {
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

export function auditRollout(child: AuditHistory): Rollout {
  const steps: Step[] = [];
  for (const call of activityCalls(child.events)) {
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
  const done = child.events.find((e) => e.type === 'WORKFLOW_EXECUTION_COMPLETED');
  const result = first(done?.attrs.result);
  return { workflowId: child.workflowId, ...(result ? { verdict: str(at(result, 'verdict')), reason: str(at(result, 'reason')) } : {}), steps };
}
