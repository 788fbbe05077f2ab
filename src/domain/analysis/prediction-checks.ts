/**
 * Prediction checks, anytime-valid: the score distribution against the baseline, and shadow
 * agreement. Both may be judged at every poll: a shifted distribution rolls back mid-bake. Pure.
 */
import type { SloSpec } from '../spec';
import type { VersionSummary } from './window-summary';
import type { CheckResult } from './verdict';
import { psi } from '../stats/psi';
import { bernoulliLimitLogE, homogeneityLogE, reportE } from './e-processes';
import { evidenceText } from './error-checks';

/**
 * The binned scores as a multinomial, candidate against baseline: the homogeneity e-process of
 * `./e-processes` over the score bins (H0: both versions give the same score distribution), and
 * PSI as the effect size. It fails when the e-value reaches 1 / alphaCheck AND PSI is over the
 * limit: significance keeps a thin canary's noisy histogram from failing; the PSI limit keeps a real
 * but harmless shift on heavy traffic from failing. Caveat: each scored row is one observation, so
 * the rows of one multi-row request are assumed independent given the version.
 */
/** The decision alone, without the wording (the simulations call it after every row); histograms must be non-empty and alike in length. */
export function judgeScoreShift(ctx: { candidate: VersionSummary; baseline: VersionSummary; slo: SloSpec; alphaCheck: number }): { breach: boolean; e: number; psi: number } {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const value = psi(baseline.scoreHistogram, candidate.scoreHistogram);
  const e = reportE(homogeneityLogE(candidate.scoreHistogram, baseline.scoreHistogram));
  return { breach: value > slo.maxPredictionPsi && e >= 1 / alphaCheck, e, psi: value };
}

export function predictionPsiCheck({ candidate, baseline, slo, alphaCheck }: { candidate: VersionSummary; baseline: VersionSummary; slo: SloSpec; alphaCheck: number }): CheckResult {
  const nc = candidate.scoreHistogram.reduce((s, x) => s + x, 0);
  const nb = baseline.scoreHistogram.reduce((s, x) => s + x, 0);
  if (nc === 0 || nb === 0 || candidate.scoreHistogram.length !== baseline.scoreHistogram.length) {
    return { name: 'prediction-psi', verdict: 'inconclusive', observed: null, limit: slo.maxPredictionPsi, detail: 'prediction-psi: no prediction scores to compare' };
  }
  const { breach, e, psi: value } = judgeScoreShift({ candidate, baseline, slo, alphaCheck });
  return {
    name: 'prediction-psi',
    verdict: breach ? 'fail' : 'pass',
    observed: value,
    limit: slo.maxPredictionPsi,
    eValue: e,
    alpha: alphaCheck,
    detail: `prediction score PSI ${value.toFixed(3)} vs limit ${slo.maxPredictionPsi} (${evidenceText(e, alphaCheck)} that the distributions differ)`,
  };
}

/** Shadow agreement: one Bernoulli arm (agreed rows of compared rows), H0 "agreement is at least `minAgreement`". */
export function judgeAgreement({ compared, agreed, slo, alphaCheck }: { compared: number; agreed: number; slo: SloSpec; alphaCheck: number }): { breach: boolean; e: number } {
  const e = reportE(bernoulliLimitLogE({ successes: agreed, trials: compared, p0: slo.minAgreement, side: 'below' }));
  return { breach: agreed / compared < slo.minAgreement && e >= 1 / alphaCheck, e };
}

export function agreementCheck({ candidate, slo, alphaCheck }: { candidate: VersionSummary; slo: SloSpec; alphaCheck: number }): CheckResult {
  const s = candidate.shadow;
  if (!s || s.compared < slo.minSamples) {
    return { name: 'shadow-agreement', verdict: 'inconclusive', observed: s && s.compared ? s.agreed / s.compared : null, limit: slo.minAgreement, detail: `shadow-agreement: only ${s?.compared ?? 0} of the ${slo.minSamples} compared predictions needed` };
  }
  const rate = s.agreed / s.compared;
  const { breach, e } = judgeAgreement({ compared: s.compared, agreed: s.agreed, slo, alphaCheck });
  return {
    name: 'shadow-agreement',
    verdict: breach ? 'fail' : 'pass',
    observed: rate,
    limit: slo.minAgreement,
    eValue: e,
    alpha: alphaCheck,
    detail: `candidate agrees with stable on ${(rate * 100).toFixed(1)}% of ${s.compared} mirrored predictions (minimum ${(slo.minAgreement * 100).toFixed(1)}%, ${evidenceText(e, alphaCheck)})`,
  };
}
