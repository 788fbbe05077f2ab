/**
 * When the watch looks again. Pure.
 *
 * Every check is an e-process judged against 1 / alpha_check (see `./alpha-budget`), and Ville's
 * inequality holds at ANY stopping time, including times chosen from the data seen so far. So the
 * watch may poll faster while the evidence is building without raising the false-rollback bound:
 * the bound depends on the threshold, never on when or how often the e-values are read.
 *
 * The watch polls at `pollMs` (250 ms) while every e-value is low, and at `fastPollMs` once some
 * check's e-value is a quarter of the way to its threshold on the log scale (E >= alpha_check^-1/4,
 * about 6 at the default split of 1/1600). Under a check's null, Ville bounds the chance that its
 * e-value EVER gets there by alpha_check^1/4, and an e-process under its null drifts down, so a
 * healthy canary spends little time at the fast pace (none in the seeded simulations of
 * `test/unit/analysis/anytime/poll-pace.test.ts`). A real regression gets there some 20 requests
 * before it fails, and the fast polls then catch the fail within `fastPollMs` instead of up to
 * `pollMs` later. The level was chosen in those simulations: halfway (alpha^-1/2) gave half the
 * lead, a tenth of the way no more than a quarter.
 */
import type { AnalysisResult, CheckResult } from './verdict';

/** Default fast interval: short enough to shave most of a 250 ms poll, long enough to stay cheap. */
export const FAST_POLL_MS = 50;

/** The check's e-value is at least a quarter of the way (log scale) to the level it fails at. */
export function leaningToAlarm(check: CheckResult): boolean {
  if (check.eValue === undefined || check.alpha === undefined || !(check.alpha > 0)) return false;
  return check.eValue >= check.alpha ** -0.25;
}

/**
 * The pause before the next poll: `fastPollMs` while some check leans to failing; otherwise until
 * the next multiple of `pollMs` since the step began, so the slow polls keep their grid (a pause of
 * a whole `pollMs` after each poll's own work would let them drift later and later).
 */
export function nextPollMs(analysis: AnalysisResult, pace: { pollMs: number; fastPollMs: number }, elapsedMs: number): number {
  const toGrid = pace.pollMs - (Math.max(0, elapsedMs) % pace.pollMs);
  if (analysis.verdict !== 'pass' && analysis.verdict !== 'inconclusive') return toGrid;
  return analysis.checks.some(leaningToAlarm) ? Math.min(pace.fastPollMs, toGrid) : toGrid;
}
