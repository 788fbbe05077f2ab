/**
 * The offline gate: a pure judgement of an evaluation against the spec's offline section.
 * Every failed check adds one reason that names the metric, the observed value and the limit.
 */
import { worseBy } from './metrics/direction';
import type { Evaluation, SliceReport } from './metrics/evaluation';
import type { OfflineSpec } from './spec';

export interface OfflineVerdict {
  pass: boolean;
  reasons: string[];
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function thresholdReasons(evaluation: Evaluation, offline: OfflineSpec): string[] {
  const reasons: string[] = [];
  for (const t of offline.thresholds) {
    const v = evaluation.metrics[t.metric];
    if (v === undefined) reasons.push(`threshold ${t.metric} ${t.op} ${t.value}: metric "${t.metric}" is not available (have: ${Object.keys(evaluation.metrics).join(', ')})`);
    else if (t.op === '>=' ? v < t.value : v > t.value) reasons.push(`threshold ${t.metric} ${t.op} ${t.value}: got ${fmt(v)}`);
  }
  return reasons;
}

function championReasons(evaluation: Evaluation, offline: OfflineSpec): string[] {
  const champ = evaluation.champion;
  const metric = evaluation.primaryMetric;
  if (!champ || champ.metrics[metric] === undefined || evaluation.metrics[metric] === undefined) return [];
  const worse = worseBy(metric, evaluation.metrics[metric], champ.metrics[metric]);
  return worse > offline.maxRegression
    ? [`${metric} regressed by ${fmt(worse)} vs champion ${champ.artifactId} (${fmt(evaluation.metrics[metric])} vs ${fmt(champ.metrics[metric])}; max ${offline.maxRegression})`]
    : [];
}

function sliceGapReasons(slices: SliceReport[], offline: OfflineSpec, metric: string): string[] {
  return slices
    .filter((s) => s.gap > offline.maxSliceGap)
    .map((s) => `slice gap on "${s.column}": ${metric} differs by ${fmt(s.gap)} between slices (worst: ${s.worst}; max ${offline.maxSliceGap})`);
}

function sliceRegressionReasons(evaluation: Evaluation, offline: OfflineSpec): string[] {
  const reasons: string[] = [];
  const metric = evaluation.primaryMetric;
  for (const slice of evaluation.slices) {
    const champSlice = evaluation.champion?.slices.find((s) => s.column === slice.column);
    for (const v of slice.values) {
      const c = champSlice?.values.find((x) => x.value === v.value);
      if (v.primary === null || c?.primary == null) continue;
      const worse = worseBy(metric, v.primary, c.primary);
      if (worse > offline.maxSliceRegression) reasons.push(`slice ${slice.column}=${v.value}: ${metric} regressed by ${fmt(worse)} vs champion (max ${offline.maxSliceRegression})`);
    }
  }
  return reasons;
}

export function judgeOffline(evaluation: Evaluation, offline: OfflineSpec): OfflineVerdict {
  const reasons = [
    ...thresholdReasons(evaluation, offline),
    ...championReasons(evaluation, offline),
    ...sliceGapReasons(evaluation.slices, offline, evaluation.primaryMetric),
    ...sliceRegressionReasons(evaluation, offline),
  ];
  const parity = evaluation.parity;
  if (!parity.pass) {
    const labels = parity.labelMismatches ? `, ${parity.labelMismatches} labels differ` : '';
    const rows = parity.mismatches !== undefined ? ` in ${parity.mismatches} of ${parity.rows} rows` : '';
    reasons.push(`parity: training-serving predictions differ by up to ${parity.maxAbsDiff}${rows}${labels} (tolerance ${parity.tolerance})`);
  }
  return { pass: reasons.length === 0, reasons };
}
