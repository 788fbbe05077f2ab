/** Prediction checks: score drift (PSI) against the baseline and shadow agreement. Pure. */
import type { SloSpec } from '../spec';
import type { VersionSummary } from './window-summary';
import type { CheckResult } from './verdict';
import { psi } from '../stats/psi';
import { chiSquareHomogeneity } from '../stats/homogeneity';
import { binomialLowerTail } from '../stats/proportion-tests';

/**
 * PSI is the effect size; a Pearson chi-square test of homogeneity on the two histograms (sparse bins
 * pooled) is the significance. Requiring significance keeps a thin canary, whose histogram is noisy,
 * from failing on sampling noise alone. Why not n_eff * PSI as a chi-square: with tens of requests per
 * side the epsilon-floored empty bins inflate it, and identical models failed about 18% of checks at
 * n = 40 (alpha 0.01); the pooled Pearson test stays near alpha.
 */
export function predictionPsiCheck({ candidate, baseline, slo }: { candidate: VersionSummary; baseline: VersionSummary; slo: SloSpec }): CheckResult {
  const nc = candidate.scoreHistogram.reduce((s, x) => s + x, 0);
  const nb = baseline.scoreHistogram.reduce((s, x) => s + x, 0);
  if (nc === 0 || nb === 0 || candidate.scoreHistogram.length !== baseline.scoreHistogram.length) {
    return { name: 'prediction-psi', verdict: 'inconclusive', observed: null, limit: slo.maxPredictionPsi, detail: 'prediction-psi: no prediction scores to compare' };
  }
  const value = psi(baseline.scoreHistogram, candidate.scoreHistogram);
  const p = chiSquareHomogeneity(candidate.scoreHistogram, baseline.scoreHistogram).pValue;
  const breach = value > slo.maxPredictionPsi && p < slo.alpha;
  return {
    name: 'prediction-psi',
    verdict: breach ? 'fail' : 'pass',
    observed: value,
    limit: slo.maxPredictionPsi,
    detail: `prediction score PSI ${value.toFixed(3)} vs limit ${slo.maxPredictionPsi} (p=${p.toPrecision(2)})`,
  };
}

export function agreementCheck({ candidate, slo }: { candidate: VersionSummary; slo: SloSpec }): CheckResult {
  const s = candidate.shadow;
  if (!s || s.compared < slo.minSamples) {
    return { name: 'shadow-agreement', verdict: 'inconclusive', observed: s && s.compared ? s.agreed / s.compared : null, limit: slo.minAgreement, detail: `shadow-agreement: only ${s?.compared ?? 0} of the ${slo.minSamples} compared predictions needed` };
  }
  const rate = s.agreed / s.compared;
  const p = binomialLowerTail(s.agreed, s.compared, slo.minAgreement).pValue;
  const breach = rate < slo.minAgreement && p < slo.alpha;
  return {
    name: 'shadow-agreement',
    verdict: breach ? 'fail' : 'pass',
    observed: rate,
    limit: slo.minAgreement,
    detail: `candidate agrees with stable on ${(rate * 100).toFixed(1)}% of ${s.compared} mirrored predictions (minimum ${(slo.minAgreement * 100).toFixed(1)}%, p=${p.toPrecision(2)})`,
  };
}
