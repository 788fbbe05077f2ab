/**
 * Decides whether a rollout is healthy: a pure function from two metric windows and the SLO to a
 * verdict with evidence. Argo-style, `fail` (a breach) and `inconclusive` (not enough evidence,
 * or no data for a version) stay apart: thin traffic never passes and never fails. A metrics source
 * that cannot be read at all is a third verdict, `error` (see `./metrics-error`).
 *
 * Every relative and absolute check fails only when the breach is over its limit AND significant
 * at `slo.alpha`, so a handful of slow or failed requests in a healthy canary cannot roll it back.
 */
import type { SloSpec } from '../spec';
import type { RolloutMode } from '../routing';
import type { VersionSummary } from './window-summary';
import { combineChecks, type AnalysisResult, type CheckResult } from './verdict';
import { latencyChecks } from './latency-checks';
import { errorRateChecks } from './error-checks';
import { agreementCheck, predictionPsiCheck } from './prediction-checks';

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
   * Whether to judge the distribution checks (prediction PSI, shadow agreement). The watch judges
   * them once, when the bake ends: a shifted score distribution is not an emergency, and testing
   * it at every 250 ms poll multiplies the false-alarm rate by the number of looks. Latency and
   * error checks run at every poll, because those are the breaches to catch in seconds. @default true
   */
  judgeDistributions?: boolean;
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
  const checks: CheckResult[] = [
    ...samples,
    ...errorRateChecks({ candidate, baseline, slo }),
    ...latencyChecks({ candidate, baseline, slo, floorMs: floor }),
  ];
  const distributions = input.judgeDistributions ?? true;
  if (baseline && distributions) checks.push(predictionPsiCheck({ candidate, baseline, slo }));
  if (mode === 'shadow' && distributions) checks.push(agreementCheck({ candidate, slo }));
  return combineChecks(checks);
}
