/**
 * What an artifact's `bundle.json` holds: the built-in `mlgate-linear/v1` model, or the `onnx/v1`
 * manifest of a `model.onnx` beside it. Pure.
 */
import { z } from 'zod';
import type { FeatureTransform } from './bundle';
import { ModelBundleSchema } from './bundle';
import { OnnxManifestSchema } from './onnx-manifest';

export const ArtifactBundleSchema = z.discriminatedUnion('format', [ModelBundleSchema, OnnxManifestSchema]);
export type ArtifactBundle = z.infer<typeof ArtifactBundleSchema>;
export type ArtifactFormat = ArtifactBundle['format'];

/** Files an artifact keeps beside bundle.json (content-addressed through the manifest's sha256). */
export const MODEL_FILE = 'model.onnx';

/** The features a serving request's rows are checked against (see row-check.ts). */
export function servedFeatures(bundle: ArtifactBundle): FeatureTransform[] {
  if (bundle.format === 'mlgate-linear/v1') return bundle.features;
  return bundle.features.map((f) => (f.kind === 'numeric' ? { name: f.name, kind: 'numeric' as const, mean: f.fill, std: 1 } : f));
}

/** The parity tolerance the spec sets, or the format's default. */
export function parityToleranceFor(bundle: ArtifactBundle, specTolerance: number | undefined): number {
  return specTolerance ?? (bundle.format === 'onnx/v1' ? 1e-4 : 1e-9);
}
