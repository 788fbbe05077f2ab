/**
 * The `onnx/v1` runtime on onnxruntime-node, in-process: one InferenceSession per artifact, a
 * request's rows run as one batch (float32 and string tensors built by the pure onnx-tensors.ts),
 * int64 labels come back as BigInt64Array. One intra-op thread: the gateway serves many small
 * requests at once, and a thread pool per session would only fight them for the two cores.
 */
import * as ort from 'onnxruntime-node';
import { servedFeatures } from '../../domain/model/artifact-bundle';
import { rowProblems } from '../../domain/model/row-check';
import type { OnnxManifest } from '../../domain/model/onnx-manifest';
import { decodePredictions, inputTensors, type OutputData } from '../../domain/model/onnx-tensors';
import type { ModelRuntime } from '../../ports/model-runtime';

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };

export interface OnnxModelInfo {
  inputNames: readonly string[];
  outputNames: readonly string[];
}

/** Loads a model only to read its inputs and outputs; throws on a corrupt or truncated file. */
export async function inspectOnnxModel(bytes: Uint8Array): Promise<OnnxModelInfo> {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  try {
    return { inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
  } finally {
    await session.release();
  }
}

export async function createOnnxRuntime(manifest: OnnxManifest, bytes: Uint8Array): Promise<ModelRuntime> {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  const features = servedFeatures(manifest);
  const fetches = [manifest.outputs.label, manifest.outputs.probabilities, manifest.outputs.value].filter((x): x is string => !!x);
  return {
    check: (rows) => rowProblems(features, rows),
    async predict(rows) {
      if (rows.length === 0) return [];
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputTensors(manifest, rows))) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(feeds, fetches);
      const data: OutputData = {};
      for (const name of fetches) data[name] = out[name]?.data as OutputData[string];
      return decodePredictions(manifest, data, rows.length);
    },
    close: () => session.release(),
  };
}
