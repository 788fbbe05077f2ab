/**
 * Rows to the ONNX model's input tensors, and its output tensors back to predictions, as plain typed
 * arrays (the runtime adapter wraps them). A request's rows become one batch. Missing numbers take
 * the manifest's `fill`, as the built-in format imputes the training mean. Pure.
 */
import type { Prediction, Row } from './bundle';
import type { OnnxFeature, OnnxManifest } from './onnx-manifest';

export type InputTensor = { type: 'float32'; data: Float32Array; dims: number[] } | { type: 'string'; data: string[]; dims: number[] };

function numberOf(v: unknown, fill: number): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) ? x : fill;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function inputTensors(m: OnnxManifest, rows: readonly Row[]): Record<string, InputTensor> {
  const features = new Map<string, OnnxFeature>(m.features.map((f) => [f.name, f]));
  const fillOf = (name: string) => {
    const f = features.get(name);
    return f?.kind === 'numeric' ? f.fill : 0;
  };
  const n = rows.length;
  if (m.inputs.kind === 'per-column') {
    const out: Record<string, InputTensor> = {};
    for (const t of m.inputs.tensors) {
      out[t.name] = t.type === 'string'
        ? { type: 'string', data: rows.map((r) => text(r[t.feature])), dims: [n, 1] }
        : { type: 'float32', data: Float32Array.from(rows, (r) => numberOf(r[t.feature], fillOf(t.feature))), dims: [n, 1] };
    }
    return out;
  }
  const cols = m.inputs.columns;
  const data = new Float32Array(n * cols.length);
  rows.forEach((r, i) => {
    cols.forEach((c, j) => {
      data[i * cols.length + j] = c.equals !== undefined ? (text(r[c.feature]) === c.equals ? 1 : 0) : numberOf(r[c.feature], fillOf(c.feature));
    });
  });
  return { [m.inputs.name]: { type: 'float32', data, dims: [n, cols.length] } };
}

/** What the runtime hands back: each output's data (numbers, or bigints for int64 labels). */
export type OutputData = Record<string, ArrayLike<number | bigint> | undefined>;

export function decodePredictions(m: OnnxManifest, out: OutputData, n: number): Prediction[] {
  if (m.task === 'regression') {
    const v = out[m.outputs.value as string];
    if (!v) throw new Error(`the model gave no "${m.outputs.value}" output`);
    return Array.from({ length: n }, (_, i) => ({ label: String(Number(v[i])), score: Number(v[i]), confidence: 1 }));
  }
  const probs = out[m.outputs.probabilities as string];
  if (!probs) throw new Error(`the model gave no "${m.outputs.probabilities}" output`);
  const labels = m.labels as [string, string];
  const width = probs.length / n;
  const labelOut = m.outputs.label ? out[m.outputs.label] : undefined;
  return Array.from({ length: n }, (_, i) => {
    // The positive class is the last column: [p(negative), p(positive)].
    const p = Number(probs[i * width + width - 1]);
    // The model's own label (class index 0/1, int64) is what its framework predicts; without it, the threshold decides.
    const label = labelOut ? (labels[Number(labelOut[i])] ?? String(labelOut[i])) : p >= m.threshold ? labels[1] : labels[0];
    return { label, score: p, confidence: Math.max(p, 1 - p) };
  });
}
