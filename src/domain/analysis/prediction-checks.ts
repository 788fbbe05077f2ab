/** Prediction checks: score drift (PSI) against the baseline and shadow agreement. Pure. */
import type { SloSpec } from '../spec';
import type { VersionSummary } from './window-summary';
import type { CheckResult } from './verdict';
import { psi } from '../stats/psi';
import { chiSquareSurvival } from '../stats/chi-square';
import { binomialLowerTail } from '../stats/proportion-tests';

/**
 * PSI is a symmetric KL divergence, so n_eff * PSI is approximately chi-square with (bins - 1) degrees of
 * freedom when both sides come from one distribution. Requiring significance keeps a thin 5% canary, whose
 * histogram is noisy, from failing on sampling noise alone.
 */
export function predictionPsiCheck({ candidate, baseline, slo }: { candidate: VersionSummary; baseline: VersionSummary; slo: SloSpec }): CheckResult {
  const nc = candidate.scoreHistogram.reduce((s, x) => s + x, 0);
  const nb = baseline.scoreHistogram.reduce((s, x) => s + x, 0);
  if (nc === 0 || nb === 0 || candidate.scoreHistogram.length !== baseline.scoreHistogram.length) {
    return { name: 'prediction-psi', verdict: 'inconclusive', observed: null, limit: slo.maxPredictionPsi, detail: 'prediction-psi: no prediction scores to compare' };
  }
  const value = psi(baseline.scoreHistogram, candidate.scoreHistogram);
  const bins = candidate.scoreHistogram.filter((x, i) => x + baseline.scoreHistogram[i] > 0).length;
  const nEff = 1 / (1 / nc + 1 / nb);
  const p = chiSquareSurvival(nEff * value, Math.max(1, bins - 1));
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
