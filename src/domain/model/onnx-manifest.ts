/**
 * The `onnx/v1` artifact format: `model.onnx` plus this manifest (`bundle.json`). Any framework that
 * exports ONNX trains it through the external trainer contract v2 (docs/external-trainer.md). The
 * manifest carries the model file's sha256, so the artifact id (the sha256 of the canonical
 * manifest) covers the model bytes too. Pure and sandbox-safe.
 */
import { z } from 'zod';
import { TaskSchema } from '../spec';

const Name = z.string().min(1);

export const OnnxFeatureSchema = z.discriminatedUnion('kind', [
  /** `fill` replaces a missing value (trainers write the training mean, as the built-in imputes). */
  z.object({ name: Name, kind: z.literal('numeric'), fill: z.number().default(0) }),
  z.object({ name: Name, kind: z.literal('categorical'), categories: z.array(z.string()).min(1) }),
]);
export type OnnxFeature = z.infer<typeof OnnxFeatureSchema>;

/** One column of a single float tensor: a numeric feature, or 1/0 for `feature == equals` (one-hot). */
export const TensorColumnSchema = z.object({ feature: Name, equals: z.string().optional() });
export type TensorColumn = z.infer<typeof TensorColumnSchema>;

export const OnnxInputsSchema = z.discriminatedUnion('kind', [
  /** One tensor per column, shape [N, 1]: float32 for numbers, string for categories. */
  z.object({
    kind: z.literal('per-column'),
    tensors: z.array(z.object({ name: Name, feature: Name, type: z.enum(['float32', 'string']) })).min(1),
  }),
  /** One float32 tensor [N, columns.length], columns in this order. */
  z.object({ kind: z.literal('single-tensor'), name: Name, columns: z.array(TensorColumnSchema).min(1) }),
]);
export type OnnxInputs = z.infer<typeof OnnxInputsSchema>;

export const OnnxManifestSchema = z.object({
  format: z.literal('onnx/v1'),
  task: TaskSchema,
  algorithm: Name,
  features: z.array(OnnxFeatureSchema).min(1),
  inputs: OnnxInputsSchema,
  /** Output tensor names: `label` and `probabilities` ([N, 2]) for classification, `value` for regression. */
  outputs: z.object({ label: Name.optional(), probabilities: Name.optional(), value: Name.optional() }),
  /** Class strings in the order of the label tensor's values and the probability columns: [negative, positive]. */
  labels: z.tuple([z.string(), z.string()]).optional(),
  /** @default 0.5 */
  threshold: z.number().min(0).max(1).default(0.5),
  producer: z.object({
    framework: Name, frameworkVersion: Name, converter: Name.optional(), converterVersion: Name.optional(),
    opset: z.number().int().positive(), python: z.string().optional(),
  }),
  model: z.object({ file: z.literal('model.onnx'), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 of model.onnx, 64 hex'), bytes: z.number().int().positive() }),
}).superRefine((m, ctx) => {
  const known = new Set(m.features.map((f) => f.name));
  const named = m.inputs.kind === 'per-column' ? m.inputs.tensors.map((t) => t.feature) : m.inputs.columns.map((c) => c.feature);
  named.forEach((f, i) => {
    if (!known.has(f)) ctx.addIssue({ code: 'custom', path: ['inputs', i], message: `input uses feature "${f}", which is not in features` });
  });
  if (m.task === 'binary-classification' && (!m.outputs.probabilities || !m.labels)) {
    ctx.addIssue({ code: 'custom', path: ['outputs'], message: 'a classifier names its probabilities output and its labels [negative, positive]' });
  }
  if (m.task === 'regression' && !m.outputs.value) ctx.addIssue({ code: 'custom', path: ['outputs', 'value'], message: 'a regressor names its value output' });
});
export type OnnxManifest = z.infer<typeof OnnxManifestSchema>;

/** The output tensor names the model must have. */
export function requiredOutputs(m: OnnxManifest): string[] {
  return [m.outputs.label, m.outputs.probabilities, m.outputs.value].filter((x): x is string => !!x);
}

/** The input tensor names the model must have. */
export function requiredInputs(m: OnnxManifest): string[] {
  return m.inputs.kind === 'per-column' ? m.inputs.tensors.map((t) => t.name) : [m.inputs.name];
}
