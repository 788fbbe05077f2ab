/** The runtime for an artifact's format: the one factory the gateway and the evaluation share. */
import type { ModelRuntimeFactory } from '../../ports/model-runtime';
import { createLinearRuntime } from './linear';
import { createOnnxRuntime } from './onnx';

export const createModelRuntime: ModelRuntimeFactory = async (bundle, loadModelFile) =>
  bundle.format === 'onnx/v1' ? createOnnxRuntime(bundle, await loadModelFile()) : createLinearRuntime(bundle);

export { inspectOnnxModel, type OnnxModelInfo } from './onnx';
