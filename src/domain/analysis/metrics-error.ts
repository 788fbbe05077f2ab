/**
 * "Could not measure": a metrics source that is unreachable or erroring gives an `error` check,
 * never `inconclusive` (too little traffic) and never `fail` (a breach). A short outage is
 * tolerated: only more than `consecutiveErrorLimit` failed measurements in a row make the watch
 * stop with `error` (Argo Rollouts' consecutiveErrorLimit). Pure.
 */
import type { AnalysisResult } from './verdict';
import type { Verdict } from './verdict';

/** The analysis of one measurement that could not be taken. */
export function metricsErrorAnalysis(why: string): AnalysisResult {
  const detail = `metrics unavailable: ${why}`;
  return { verdict: 'error', checks: [{ name: 'metrics-source', verdict: 'error', observed: null, limit: 0, detail }], reasons: [detail] };
}

export interface ErrorStreak {
  /** Failed measurements in a row, reset by any measurement that worked. */
  consecutive: number;
  /** Failed measurements over the whole watch, for the evidence. */
  total: number;
}

export const noErrors = (): ErrorStreak => ({ consecutive: 0, total: 0 });

export function nextErrorStreak(streak: ErrorStreak, verdict: Verdict): ErrorStreak {
  if (verdict !== 'error') return { consecutive: 0, total: streak.total };
  return { consecutive: streak.consecutive + 1, total: streak.total + 1 };
}

/** True once the errors in a row are more than the limit tolerates. */
export function errorLimitPassed(streak: ErrorStreak, consecutiveErrorLimit: number): boolean {
  return streak.consecutive > consecutiveErrorLimit;
}

/** The reason a watch that ends in `error` gives: the source's own words and how long it stayed down. */
export function metricsErrorReason(analysis: AnalysisResult, streak: ErrorStreak, consecutiveErrorLimit: number): string {
  return `${analysis.reasons[0] ?? 'metrics unavailable'} (${streak.consecutive} failed measurements in a row, limit ${consecutiveErrorLimit})`;
}
