/**
 * Checks an external trainer's onnx/v1 output before anything is stored: the model's size, that
 * onnxruntime loads it, that its inputs and outputs are the manifest's, and that the trainer's own
 * test predictions are one finite score and a known label per test row. Each problem is a
 * non-retryable TrainerFailed that names it; nothing is registered or deployed.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../domain/errors';
import { MODEL_FILE } from '../../domain/model/artifact-bundle';
import { requiredInputs, requiredOutputs, type OnnxManifest } from '../../domain/model/onnx-manifest';
import { inspectOnnxModel } from '../model-runtime/onnx';

export const TEST_PREDICTIONS = 'test-predictions.jsonl';

const failed = (message: string) => ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message });

async function readModel(file: string, m: OnnxManifest, maxBytes: number): Promise<Buffer> {
  if (!existsSync(file)) throw failed(`the onnx/v1 bundle names ${MODEL_FILE}, but the trainer wrote none in MLGATE_TRAIN_OUTPUT`);
  const { size } = await stat(file);
  if (size > maxBytes) throw failed(`${MODEL_FILE} is ${size} bytes, over the limit of ${maxBytes} (raise MLGATE_MAX_MODEL_MB if this model is meant to be that big)`);
  const bytes = await readFile(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== m.model.sha256 || bytes.length !== m.model.bytes) {
    throw failed(`${MODEL_FILE} is not the file the manifest describes (sha256 ${sha.slice(0, 12)}…, ${bytes.length} bytes; manifest: ${m.model.sha256.slice(0, 12)}…, ${m.model.bytes} bytes)`);
  }
  return bytes;
}

async function checkSignature(bytes: Buffer, m: OnnxManifest): Promise<void> {
  let info;
  try {
    info = await inspectOnnxModel(bytes);
  } catch (err) {
    throw failed(`onnxruntime cannot load ${MODEL_FILE} (corrupt or truncated?): ${(err as Error).message.split('\n')[0]}`);
  }
  const want = requiredInputs(m);
  if (want.length !== info.inputNames.length || want.some((n) => !info.inputNames.includes(n))) {
    throw failed(`the ONNX model's inputs [${info.inputNames.join(', ')}] do not match the manifest's inputs [${want.join(', ')}]`);
  }
  const missing = requiredOutputs(m).filter((n) => !info.outputNames.includes(n));
  if (missing.length) throw failed(`the manifest names output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the model does not have (it has: ${info.outputNames.join(', ')})`);
}

function parsePrediction(line: string, n: number, labels: readonly string[] | undefined): string {
  let doc: { score?: unknown; label?: unknown };
  try {
    doc = JSON.parse(line) as typeof doc;
  } catch {
    throw failed(`${TEST_PREDICTIONS} line ${n}: not JSON${/NaN|Infinity/.test(line) ? ' (a NaN or infinite score)' : ''}: ${line.slice(0, 80)}`);
  }
  if (typeof doc.score !== 'number' || !Number.isFinite(doc.score)) throw failed(`${TEST_PREDICTIONS} line ${n}: score must be a finite number, got ${JSON.stringify(doc.score)}`);
  if (typeof doc.label !== 'string' || (labels && !labels.includes(doc.label))) throw failed(`${TEST_PREDICTIONS} line ${n}: label must be one of ${JSON.stringify(labels)}, got ${JSON.stringify(doc.label)}`);
  return JSON.stringify({ score: doc.score, label: doc.label });
}

async function readPredictions(file: string, m: OnnxManifest, testRows: number): Promise<string> {
  if (!existsSync(file)) throw failed(`an onnx/v1 trainer must write ${TEST_PREDICTIONS} (its own scores on test.jsonl) for the parity check`);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== testRows) throw failed(`${TEST_PREDICTIONS} has ${lines.length} rows; test.jsonl has ${testRows}`);
  const labels = m.task === 'binary-classification' ? m.labels : undefined;
  return `${lines.map((l, i) => parsePrediction(l, i + 1, labels)).join('\n')}\n`;
}

export async function readOnnxOutput(o: { outputDir: string; manifest: OnnxManifest; testRows: number; maxModelBytes: number }): Promise<{ modelFile: Uint8Array; testPredictions: string }> {
  const bytes = await readModel(path.join(o.outputDir, MODEL_FILE), o.manifest, o.maxModelBytes);
  await checkSignature(bytes, o.manifest);
  return { modelFile: bytes, testPredictions: await readPredictions(path.join(o.outputDir, TEST_PREDICTIONS), o.manifest, o.testRows) };
}
