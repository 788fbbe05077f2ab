/**
 * Decides whether a rollout is healthy: a pure function from two metric windows and the SLO to a
 * verdict with evidence. Argo-style, `fail` (a breach) and `inconclusive` (not enough evidence,
 * or no data for a version) stay apart: thin traffic never passes and never fails. A metrics source
 * that cannot be read at all is a third verdict, `error` (see `./metrics-error`).
 *
 * Every check is anytime-valid (an e-process or confidence sequences, see `./e-processes`), so
 * every check may be judged at every poll, the distribution checks included. A check fails only
 * when the breach is over its limit AND its evidence reaches its share of `slo.alpha`; the shares
 * add up to `slo.alpha` over a whole rollout (`./alpha-budget`), which bounds the probability of
 * rolling back a candidate that is no worse than the baseline by `slo.alpha`.
 */
import type { SloSpec } from '../spec';
import type { RolloutMode } from '../routing';
import type { VersionSummary } from './window-summary';
import { combineChecks, type AnalysisResult, type CheckResult } from './verdict';
import { latencyChecks } from './latency-checks';
import { errorRateChecks } from './error-checks';
import { agreementCheck, predictionPsiCheck } from './prediction-checks';
import { alphaPerCheck, DEFAULT_WATCHES } from './alpha-budget';

export interface AnalyzeRolloutInput {
  candidate: VersionSummary | null | undefined;
  /** The stable version over the same window; `null` with `compareWithBaseline: false` for absolute checks only. */
  baseline: VersionSummary | null | undefined;
  slo: SloSpec;
  mode: RolloutMode;
  /**
   * False when there is no baseline to compare with (e.g. after promotion, or at a 100% step):
   * only absolute limits and, in shadow mode, agreement are checked. @default true
   */
  compareWithBaseline?: boolean;
  /** p99 latencies at or below this are never a ratio breach: timer and bucket noise dominate there. @default 5 */
  latencyFloorMs?: number;
  /**
   * How many watches (canary steps plus the post-promotion watch) share `slo.alpha`; this watch
   * spends `slo.alpha / watches` (see `./alpha-budget`). @default DEFAULT_WATCHES (5)
   */
  watches?: number;
}

function sampleCheck(name: string, s: VersionSummary | null | undefined, min: number): CheckResult {
  if (!s) return { name, verdict: 'inconclusive', observed: null, limit: min, detail: `${name}: no metrics for this version in the window` };
  const ok = s.requests >= min;
  return {
    name,
    verdict: ok ? 'pass' : 'inconclusive',
    observed: s.requests,
    limit: min,
    detail: ok ? `${name}: ${s.requests} requests` : `${name}: only ${s.requests} of the ${min} requests needed before any verdict`,
  };
}

export function analyzeRollout(input: AnalyzeRolloutInput): AnalysisResult {
  const { candidate, slo, mode } = input;
  const compare = input.compareWithBaseline ?? true;
  const samples = [sampleCheck('candidate-samples', candidate, slo.minSamples)];
  if (compare) samples.push(sampleCheck('baseline-samples', input.baseline, slo.minSamples));
  // Below the minimum the other numbers are noise: report only why we are waiting.
  if (samples.some((c) => c.verdict !== 'pass') || !candidate) return combineChecks(samples);
  const baseline = compare ? (input.baseline ?? null) : null;
  const floor = input.latencyFloorMs ?? 5;
  const alphaCheck = alphaPerCheck({ alpha: slo.alpha, watches: input.watches ?? DEFAULT_WATCHES, compareWithBaseline: compare, mode });
  const checks: CheckResult[] = [
    ...samples,
    ...errorRateChecks({ candidate, baseline, slo, alphaCheck }),
    ...latencyChecks({ candidate, baseline, slo, floorMs: floor, alphaCheck }),
  ];
  if (baseline) checks.push(predictionPsiCheck({ candidate, baseline, slo, alphaCheck }));
  if (mode === 'shadow') checks.push(agreementCheck({ candidate, slo, alphaCheck }));
  return combineChecks(checks);
}
