/**
 * Model runtime port: turns request rows into predictions for one artifact. The gateway serves with
 * it and the evaluation scores the test rows with it, so the two cannot disagree. Adapters:
 * `adapters/model-runtime/linear.ts` (mlgate-linear/v1) and `onnx.ts` (onnx/v1, onnxruntime-node).
 */
import type { ArtifactBundle } from '../domain/model/artifact-bundle';
import type { Prediction, Row } from '../domain/model/bundle';

export interface ModelRuntime {
  /** The caller's mistakes in `rows` (see row-check.ts); empty when the model can answer them. */
  check(rows: readonly Row[]): string[];
  /** One batch: every row of a request in one call. */
  predict(rows: readonly Row[]): Promise<Prediction[]> | Prediction[];
  /** Frees what the runtime holds (an ONNX session); the runtime is unusable afterwards. */
  close(): Promise<void>;
}

/** Builds the runtime for an artifact; `loadModelFile` reads its model.onnx when the format has one. */
export type ModelRuntimeFactory = (bundle: ArtifactBundle, loadModelFile: () => Promise<Uint8Array>) => Promise<ModelRuntime>;
