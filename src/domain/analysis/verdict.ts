/**
 * Verdict words shared by the analysis, the watch activity and the workflow. Pure. As in Argo
 * Rollouts, three ways of not passing stay apart: `fail` is a measured breach, `inconclusive` is
 * too little evidence (thin traffic), `error` is "could not measure" (the metrics source is down).
 */
export const Verdict = { pass: 'pass', fail: 'fail', inconclusive: 'inconclusive', error: 'error' } as const;
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
  /** Anytime-valid checks: the e-value now; the check fails once it reaches 1 / `alpha`. */
  eValue?: number;
  /** The share of `slo.alpha` this check spends (see `./alpha-budget`). */
  alpha?: number;
}

export interface AnalysisResult {
  verdict: Verdict;
  checks: CheckResult[];
  /** The details of the checks that decided the verdict (failing ones, else inconclusive ones). */
  reasons: string[];
}

/**
 * Any fail fails (a measured breach outweighs a check that could not be measured); otherwise any
 * error makes the whole `error`; otherwise any inconclusive makes it inconclusive; pass needs every
 * check to pass.
 */
export function combineChecks(checks: CheckResult[]): AnalysisResult {
  for (const verdict of ['fail', 'error', 'inconclusive'] as const) {
    const deciding = checks.filter((c) => c.verdict === verdict);
    if (deciding.length) return { verdict, checks, reasons: deciding.map((c) => c.detail) };
  }
  return { verdict: 'pass', checks, reasons: [] };
}
