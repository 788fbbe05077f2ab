/**
 * Judging drift from the statistics alone, so a stored report can be re-judged under a new policy
 * without the data. Pure. Too few samples is `inconclusive`, never `stable`.
 */
import { formatIssues } from '../errors';
import { type DriftJudgement, type DriftPolicy, type DriftPolicyInput, DriftPolicySchema, type DriftReport, type FeatureDrift } from './schema';

type FeatureStats = Pick<FeatureDrift, 'samples' | 'psi' | 'ks' | 'chi2'>;

const fmt = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4));

/** Policy with defaults filled in; throws one line per bad field (`policy.alpha: ...`), changing nothing. */
export function parseDriftPolicy(input: DriftPolicyInput = {}): DriftPolicy {
  const parsed = DriftPolicySchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid drift policy: ${formatIssues(parsed.error.issues, 'policy').join('; ')}`);
  return parsed.data;
}

/** Drift flag and a readable reason for one feature's statistics under `policy`. */
export function judgeFeature(stats: FeatureStats, policy: DriftPolicy): { drifted: boolean; reason: string } {
  if (stats.samples < policy.minSamples) {
    return { drifted: false, reason: `too few samples: ${stats.samples} < minSamples ${policy.minSamples}` };
  }
  const test = stats.ks ? { name: 'KS', pValue: stats.ks.pValue } : stats.chi2 ? { name: 'chi-squared', pValue: stats.chi2.pValue } : undefined;
  const reasons: string[] = [];
  if (stats.psi > policy.maxPsi) reasons.push(`PSI ${fmt(stats.psi)} > maxPsi ${policy.maxPsi}`);
  if (test && test.pValue < policy.alpha) reasons.push(`${test.name} p-value ${fmt(test.pValue)} < alpha ${policy.alpha}`);
  if (reasons.length > 0) return { drifted: true, reason: reasons.join('; ') };
  const testPart = test ? `, ${test.name} p-value ${fmt(test.pValue)} >= alpha ${policy.alpha}` : '';
  return { drifted: false, reason: `PSI ${fmt(stats.psi)} <= maxPsi ${policy.maxPsi}${testPart}` };
}

/**
 * Verdict over all features: `drift` when any feature with enough samples drifted (a clear shift is
 * drift even if another feature is thin); otherwise `inconclusive` when any feature (or the whole
 * report) lacks samples; otherwise `stable`.
 */
export function judgeDrift(report: DriftReport, policyInput: DriftPolicyInput = {}): DriftJudgement {
  const policy = parseDriftPolicy(policyInput);
  const drifted: string[] = [];
  const inconclusive: string[] = [];
  for (const f of report.features) {
    if (f.samples < policy.minSamples) inconclusive.push(f.feature);
    else if (judgeFeature(f, policy).drifted) drifted.push(f.feature);
  }
  if (drifted.length > 0) return { verdict: 'drift', drifted, inconclusive };
  if (inconclusive.length > 0 || report.features.length === 0) return { verdict: 'inconclusive', drifted, inconclusive };
  return { verdict: 'stable', drifted, inconclusive };
}
