/**
 * How `slo.alpha` is split so that the false-rollback probability of a WHOLE rollout, over every
 * check, every poll and every step, is at most `slo.alpha`. Pure.
 *
 * The test that guarantees it: each check is an e-process E (see `./e-processes`) and alarms when
 * E >= 1 / alpha_check. By Ville's inequality, under that check's null (the candidate is no worse on
 * that metric), P(E ever reaches 1 / alpha_check, at ANY poll) <= alpha_check: polling every 250 ms
 * costs nothing. A rollout runs `watches` watches (each canary step, then the post-promotion watch),
 * each with its own e-processes over its own window (restarted at every weight step, so the split
 * between the arms stays fixed inside a process). By the union bound over watches and checks,
 *
 *   P(any false fail in the rollout) <= sum over watches and checks of alpha_check = slo.alpha.
 *
 * The split is even: alpha_check = slo.alpha / watches / checksInWatch. A check that needs two
 * confidence sequences (the latency ratio: one per arm) halves its share again.
 */
import type { RolloutMode } from '../routing';
import type { Strategy } from '../spec';

/**
 * Watches in a rollout whose spec is not known to the watch: the default canary plan [5, 25, 50, 100]
 * plus the post-promotion watch.
 */
export const DEFAULT_WATCHES = 5;

/**
 * The watches one release may run: one per canary step, or the shadow bake, or the A/B experiment's SLO watch, plus the
 * post-promotion watch. A first release (no stable version) runs a single 100% step, fewer than
 * this; counting the plan's steps anyway only makes each share smaller, so the bound still holds,
 * and the release and its rollout agree on the number without knowing what serves.
 */
export function watchesInRollout(strategy: Strategy): number {
  // An A/B experiment runs one SLO watch beside it (its KPI test has its own `strategy.alpha`).
  return (strategy.kind === 'canary' ? strategy.steps.length : 1) + 1;
}

/** The checks that can fail in one watch; the order is only for readability. */
export function alarmingChecks(opts: { compareWithBaseline: boolean; mode: RolloutMode }): string[] {
  const names = ['error-rate', 'p99-latency'];
  if (opts.compareWithBaseline) names.push('error-rate-increase', 'p99-latency-ratio', 'prediction-psi');
  if (opts.mode === 'shadow') names.push('shadow-agreement');
  return names;
}

/** The level each check of one watch alarms at. */
export function alphaPerCheck(opts: { alpha: number; watches: number; compareWithBaseline: boolean; mode: RolloutMode }): number {
  return opts.alpha / Math.max(1, opts.watches) / alarmingChecks(opts).length;
}
