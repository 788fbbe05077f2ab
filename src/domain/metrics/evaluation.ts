/**
 * The evaluation result that goes into workflow history: small and JSON-serializable (numbers,
 * never per-row arrays). Pure helpers compute metrics and slices from labels and scores.
 */
import type { ModelBundle } from '../model/bundle';
import { classificationMetrics } from './classification';
import { higherIsBetter } from './direction';
import { regressionMetrics } from './regression';

export type Metrics = Record<string, number>;

export interface SliceValue {
  value: string;
  rows: number;
  /** The primary metric on this slice; null when it is undefined there (e.g. AUC with one class). */
  primary: number | null;
}

export interface SliceReport {
  column: string;
  values: SliceValue[];
  /** Best minus worst primary metric among defined slices (absolute); 0 with fewer than two. */
  gap: number;
  worst: string | null;
}

export interface ParityReport {
  /** What is compared: the built-in format's training path with its serving path, or an external
   * trainer's own predictions with onnxruntime's. @default "training-vs-serving" */
  kind?: 'training-vs-serving' | 'trainer-vs-onnxruntime';
  rows: number;
  maxAbsDiff: number;
  tolerance: number;
  pass: boolean;
  /** Rows whose score differs by more than the tolerance or whose label differs. */
  mismatches?: number;
  labelMismatches?: number;
  /** The first rows that differ (at most 5). */
  firstDiffs?: Array<{ row: number; trainer: { score: number; label: string }; served: { score: number; label: string } }>;
}

/** How the candidate is served, measured at evaluation (for the model card). */
export interface ServingFacts {
  format: string;
  /** Median time of one single-row call through the serving runtime, in microseconds. */
  perRowLatencyUs: number;
  modelBytes?: number;
  producer?: { framework: string; frameworkVersion: string; converter?: string; converterVersion?: string; opset: number; python?: string };
}

export interface Evaluation {
  snapshotId: string;
  artifactId: string;
  task: ModelBundle['task'];
  primaryMetric: string;
  testRows: number;
  metrics: Metrics;
  slices: SliceReport[];
  champion?: { artifactId: string; metrics: Metrics; slices: SliceReport[] };
  /** candidate minus champion, per metric. */
  delta?: Metrics;
  parity: ParityReport;
  serving?: ServingFacts;
  modelCard?: { markdownPath: string; jsonPath: string };
}

/** Scores and targets of the test rows, already numeric (labels 0/1 for classification). */
export function computeMetrics(task: ModelBundle['task'], targets: number[], scores: number[], threshold = 0.5): Metrics {
  const m = task === 'regression' ? regressionMetrics(targets, scores) : classificationMetrics(targets, scores, threshold);
  // Undefined metrics (AUC with one class, R2 of a constant) are left out, not written as NaN/null.
  return Object.fromEntries(Object.entries(m).filter(([, v]) => Number.isFinite(v)));
}

export function sliceReport(opts: {
  task: ModelBundle['task']; column: string; primaryMetric: string; groups: string[]; targets: number[]; scores: number[]; threshold?: number;
}): SliceReport {
  const byValue = new Map<string, number[]>();
  opts.groups.forEach((g, i) => byValue.set(g, [...(byValue.get(g) ?? []), i]));
  const values: SliceValue[] = [...byValue.keys()].sort().map((value) => {
    const idx = byValue.get(value) ?? [];
    const m = computeMetrics(opts.task, idx.map((i) => opts.targets[i]), idx.map((i) => opts.scores[i]), opts.threshold);
    const primary = m[opts.primaryMetric];
    return { value, rows: idx.length, primary: Number.isFinite(primary) ? primary : null };
  });
  const defined = values.filter((v): v is SliceValue & { primary: number } => v.primary !== null);
  if (defined.length === 0) return { column: opts.column, values, gap: 0, worst: null };
  const better = higherIsBetter(opts.primaryMetric);
  const sorted = [...defined].sort((a, b) => (better ? a.primary - b.primary : b.primary - a.primary));
  return { column: opts.column, values, gap: Math.abs(sorted[sorted.length - 1].primary - sorted[0].primary), worst: sorted[0].value };
}

export function metricDelta(candidate: Metrics, champion: Metrics): Metrics {
  const out: Metrics = {};
  for (const k of Object.keys(candidate)) if (k in champion) out[k] = candidate[k] - champion[k];
  return out;
}
