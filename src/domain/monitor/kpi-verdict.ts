/**
 * The online KPI verdict of one version from delayed labels: accuracy over labelled predictions,
 * `inconclusive` below `minLabels` (never `pass`), plus the mean of any numeric KPI values. Pure.
 */
export interface LabelTally {
  version: string;
  /** Predictions that got an observed outcome. */
  labelled: number;
  /** Of those, how many had the predicted label. */
  correct: number;
  /** Numeric KPI values posted (e.g. revenue per decision). */
  kpiCount: number;
  kpiSum: number;
  /** Smallest and largest KPI value posted (null without any); the A/B test checks them against its bounds. */
  kpiMin?: number | null;
  kpiMax?: number | null;
}

export interface KpiVerdict {
  version: string;
  verdict: 'pass' | 'fail' | 'inconclusive';
  labelled: number;
  onlineAccuracy: number | null;
  meanKpi: number | null;
  reason: string;
}

export function kpiVerdict(tally: LabelTally, policy: { minLabels: number; minOnlineAccuracy: number }): KpiVerdict {
  const onlineAccuracy = tally.labelled > 0 ? tally.correct / tally.labelled : null;
  const meanKpi = tally.kpiCount > 0 ? tally.kpiSum / tally.kpiCount : null;
  const base = { version: tally.version, labelled: tally.labelled, onlineAccuracy, meanKpi };
  if (onlineAccuracy === null || tally.labelled < policy.minLabels) {
    return { ...base, verdict: 'inconclusive', reason: `${tally.labelled} labels < minLabels ${policy.minLabels}` };
  }
  const acc = onlineAccuracy.toFixed(3);
  if (onlineAccuracy < policy.minOnlineAccuracy) return { ...base, verdict: 'fail', reason: `online accuracy ${acc} < ${policy.minOnlineAccuracy} over ${tally.labelled} labels` };
  return { ...base, verdict: 'pass', reason: `online accuracy ${acc} >= ${policy.minOnlineAccuracy} over ${tally.labelled} labels` };
}
