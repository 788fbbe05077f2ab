/**
 * The artifact format the built-in trainer writes, external trainers must write, and the gateway serves:
 * the model and the preprocessing it needs, in one JSON document. Pure: the evaluation's parity check and
 * the gateway call the very same `predictRow`, so training-serving skew shows up as a parity failure.
 */
import { z } from 'zod';
import { TaskSchema } from '../spec';

export const FeatureTransformSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('numeric'), mean: z.number(), std: z.number() }),
  z.object({ name: z.string(), kind: z.literal('categorical'), categories: z.array(z.string()) }),
]);
export type FeatureTransform = z.infer<typeof FeatureTransformSchema>;

export const ModelBundleSchema = z.object({
  format: z.literal('mlgate-linear/v1'),
  task: TaskSchema,
  algorithm: z.string(),
  features: z.array(FeatureTransformSchema).min(1),
  weights: z.array(z.number()),
  bias: z.number(),
  /** Binary classification: the label strings for score >= threshold and below it. */
  labels: z.object({ positive: z.string(), negative: z.string() }).optional(),
  /** @default 0.5 */
  threshold: z.number().default(0.5),
});
export type ModelBundle = z.infer<typeof ModelBundleSchema>;

export type Row = Record<string, unknown>;
export interface Prediction {
  /** Class label (classification) or the predicted value as a string (regression). */
  label: string;
  /** Probability of the positive class, or the regression output. */
  score: number;
  /** max(p, 1 - p) for classification; 1 for regression. */
  confidence: number;
}

/** Width of the design vector: one slot per numeric feature, one per category. */
export function vectorWidth(features: FeatureTransform[]): number {
  return features.reduce((n, f) => n + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
}

/** Row -> standardized, one-hot design vector. Missing or non-numeric numerics impute to the mean (0 after scaling). */
export function vectorize(features: FeatureTransform[], row: Row): number[] {
  const out: number[] = [];
  for (const f of features) {
    const raw = row[f.name];
    if (f.kind === 'numeric') {
      const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      out.push(Number.isFinite(x) ? (x - f.mean) / (f.std || 1) : 0);
    } else {
      const v = raw === undefined || raw === null ? '' : String(raw);
      for (const c of f.categories) out.push(c === v ? 1 : 0);
    }
  }
  return out;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function linearScore(bundle: Pick<ModelBundle, 'weights' | 'bias'>, x: number[]): number {
  let z = bundle.bias;
  for (let i = 0; i < x.length; i++) z += bundle.weights[i] * x[i];
  return z;
}

export function predictRow(bundle: ModelBundle, row: Row): Prediction {
  const z = linearScore(bundle, vectorize(bundle.features, row));
  if (bundle.task === 'regression') return { label: String(z), score: z, confidence: 1 };
  const p = sigmoid(z);
  const labels = bundle.labels ?? { positive: '1', negative: '0' };
  return { label: p >= bundle.threshold ? labels.positive : labels.negative, score: p, confidence: Math.max(p, 1 - p) };
}
