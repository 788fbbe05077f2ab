/**
 * The A/B rollout (`strategy.kind: ab`): route a fixed share of users, sticky by their key, to the
 * candidate, then run two watches side by side until the first one decides:
 * - the KPI experiment (`watchExperiment`): winner, loser, or inconclusive by `maxDuration`;
 * - the usual SLO watch (errors, latency, scores) over the same split, so a candidate that breaks
 *   its SLOs rolls back without waiting for the KPI.
 * A winner reports `pass`, a loser or an SLO breach `fail` (the parent rolls back), anything else
 * `inconclusive` (the parent sends it to the promote gate). Deterministic: workflow code only.
 */
import { CancellationScope, CancelledFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WatchRolloutResult } from '../activities/rollout/watch-rollout';
import type { WatchExperimentResult } from '../activities/rollout/watch-experiment';
import { watchesInRollout } from '../domain/analysis/alpha-budget';
import type { Verdict } from '../domain/analysis/verdict';
import type { ExperimentEvidence } from '../domain/approval/views';
import { durationMs } from '../domain/duration';
import { abExperimentReason, abSloBreachReason, canaryStep } from '../domain/release-evidence';
import type { RoutingInput } from '../domain/routing';
import type { AbStrategy } from '../domain/spec';
import type { RolloutInput, RolloutResult } from './rollout';

const { setRouting } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 5, initialInterval: '200ms' } });

function watchers(maxMs: number, input: RolloutInput, s: AbStrategy) {
  // Heartbeats come once per poll: allow three missed polls of the slower watch before a retry.
  const heartbeatTimeout = Math.max(30_000, 3 * durationMs(s.pollEvery));
  const o = { startToCloseTimeout: maxMs + durationMs(input.slo.inconclusiveAfter) + 60_000, heartbeatTimeout, retry: { maximumAttempts: 3, initialInterval: '1s' as const } };
  return proxyActivities<Activities>(o);
}

export function abRouting(input: RolloutInput & { stable: string }, s: AbStrategy): RoutingInput {
  return {
    stable: { version: input.stable },
    candidate: { version: input.candidate, mode: 'canary', weight: s.candidateShare * 100 },
    stickyHeader: s.userKey,
    stickyRequired: true,
    updatedBy: input.releaseId,
  };
}

const VERDICT: Record<ExperimentEvidence['verdict'], Verdict> = { winner: 'pass', loser: 'fail', inconclusive: 'inconclusive' };

type Finished = { kind: 'slo'; r: WatchRolloutResult } | { kind: 'experiment'; r: WatchExperimentResult } | null;

/** Runs `fn` in its own cancellable scope; a cancelled watch resolves to null instead of rejecting. */
function cancellable<T>(fn: () => Promise<T>): { scope: CancellationScope; done: Promise<T | null> } {
  const scope = new CancellationScope();
  const done = scope.run(fn).catch((err: unknown) => {
    if (isCancellation(err)) return null;
    throw err;
  });
  return { scope, done };
}

export async function abRollout(input: RolloutInput & { stable: string }, s: AbStrategy): Promise<RolloutResult> {
  await setRouting({ model: input.model, routing: abRouting(input, s) });
  const maxMs = durationMs(s.maxDuration);
  const w = watchers(maxMs, input, s);
  const percent = s.candidateShare * 100;
  const slo = cancellable(() => w.watchRollout({
    model: input.model, candidateVersion: input.candidate, stableVersion: input.stable, mode: 'canary', slo: input.slo,
    bakeMs: maxMs, pollMs: input.pollMs ?? 250, inconclusiveAfterMs: maxMs, watches: watchesInRollout(s),
  }));
  const exp = cancellable(() => w.watchExperiment({
    model: input.model, candidateVersion: input.candidate, controlVersion: input.stable, strategy: s, maxDurationMs: maxMs, pollMs: durationMs(s.pollEvery),
  }));
  const sloDone = slo.done.then((r): Finished => (r ? { kind: 'slo', r } : null));
  const expDone = exp.done.then((r): Finished => (r ? { kind: 'experiment', r } : null));
  let first = await Promise.race([sloDone, expDone]);
  // Only an SLO breach ends the experiment early; an SLO watch that merely baked out leaves the KPI to decide.
  if (first?.kind === 'slo' && first.r.verdict !== 'fail') first = await expDone;
  if (first?.kind === 'slo') {
    exp.scope.cancel();
    await expDone;
    const step = canaryStep(percent, first.r.verdict, first.r.samples, 0);
    return { verdict: 'fail', reason: abSloBreachReason(percent, first.r.reason), steps: [step], evidence: { analysis: first.r.evidence } };
  }
  slo.scope.cancel();
  await sloDone;
  // Both watches resolved as cancelled: the rollout itself was cancelled, and the parent compensates.
  if (!first) throw new CancelledFailure('A/B rollout cancelled');
  const e = first.r.experiment;
  return { verdict: VERDICT[e.verdict], reason: abExperimentReason(percent, e.verdict, e.reason), steps: [], evidence: { experiment: e }, experiment: e };
}
