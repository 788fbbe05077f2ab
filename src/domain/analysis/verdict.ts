/** Verdict words shared by the analysis, the watch activity and the workflow. Pure. */
export const Verdict = { pass: 'pass', fail: 'fail', inconclusive: 'inconclusive' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface CheckResult {
  /** e.g. `error-rate-increase`, `p99-latency-ratio`. */
  name: string;
  verdict: Verdict;
  /** The measured value (rates as shares, latency in ms); null when it could not be measured. */
  observed: number | null;
  limit: number;
  /** One sentence a person can read in an alert or the dashboard. */
  detail: string;
}

export interface AnalysisResult {
  verdict: Verdict;
  checks: CheckResult[];
  /** The details of the checks that decided the verdict (failing ones, else inconclusive ones). */
  reasons: string[];
}

/** Any fail fails; otherwise any inconclusive makes the whole inconclusive; pass needs every check to pass. */
export function combineChecks(checks: CheckResult[]): AnalysisResult {
  const failing = checks.filter((c) => c.verdict === 'fail');
  const unsure = checks.filter((c) => c.verdict === 'inconclusive');
  if (failing.length) return { verdict: 'fail', checks, reasons: failing.map((c) => c.detail) };
  if (unsure.length) return { verdict: 'inconclusive', checks, reasons: unsure.map((c) => c.detail) };
  return { verdict: 'pass', checks, reasons: [] };
}
