import { ArtifactBundleSchema, parityToleranceFor, servedFeatures } from '../../../src/domain/model/artifact-bundle';
import { OnnxManifestSchema, requiredInputs, requiredOutputs } from '../../../src/domain/model/onnx-manifest';
import { decodePredictions, inputTensors } from '../../../src/domain/model/onnx-tensors';
import { compareWithTrainer } from '../../../src/domain/model/parity';

const manifest = {
  format: 'onnx/v1', task: 'binary-classification', algorithm: 'gb',
  features: [{ name: 'age', kind: 'numeric', fill: 40 }, { name: 'region', kind: 'categorical', categories: ['north', 'south'] }],
  inputs: { kind: 'per-column', tensors: [{ name: 'age', feature: 'age', type: 'float32' }, { name: 'region', feature: 'region', type: 'string' }] },
  outputs: { label: 'label', probabilities: 'probabilities' },
  labels: ['no', 'yes'],
  producer: { framework: 'scikit-learn', frameworkVersion: '1.6.1', converter: 'skl2onnx', converterVersion: '1.20.0', opset: 17 },
  model: { file: 'model.onnx', sha256: 'a'.repeat(64), bytes: 1234 },
};

describe('onnx/v1 manifest', () => {
  it('parses a scikit-learn manifest and names the tensors the model must have', () => {
    const m = OnnxManifestSchema.parse(manifest);
    expect(requiredInputs(m)).toEqual(['age', 'region']);
    expect(requiredOutputs(m)).toEqual(['label', 'probabilities']);
    expect(parityToleranceFor(m, undefined)).toBe(1e-4);
    expect(servedFeatures(m)[0]).toEqual({ name: 'age', kind: 'numeric', mean: 40, std: 1 });
  });

  it('refuses an input on an unknown feature and a classifier without labels, naming the fields', () => {
    const r = ArtifactBundleSchema.safeParse({ ...manifest, labels: undefined, inputs: { kind: 'single-tensor', name: 'x', columns: [{ feature: 'salary' }] } });
    expect(r.success).toBe(false);
    const issues = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^inputs.0: input uses feature "salary"/), expect.stringMatching(/^outputs: a classifier names/)]));
  });

  it('builds one float32 and one string tensor per column for a batch, filling missing numbers', () => {
    const t = inputTensors(OnnxManifestSchema.parse(manifest), [{ age: 30, region: 'north' }, { region: 'south' }]);
    expect(t.age).toEqual({ type: 'float32', data: Float32Array.from([30, 40]), dims: [2, 1] });
    expect(t.region).toEqual({ type: 'string', data: ['north', 'south'], dims: [2, 1] });
  });

  it('builds a single float tensor with one-hot columns in the stated order', () => {
    const m = OnnxManifestSchema.parse({ ...manifest, inputs: { kind: 'single-tensor', name: 'input', columns: [{ feature: 'age' }, { feature: 'region', equals: 'north' }, { feature: 'region', equals: 'south' }] } });
    expect(inputTensors(m, [{ age: 50, region: 'south' }]).input).toEqual({ type: 'float32', data: Float32Array.from([50, 0, 1]), dims: [1, 3] });
  });

  it('decodes int64 labels and the positive-class probability column', () => {
    const m = OnnxManifestSchema.parse(manifest);
    const out = decodePredictions(m, { label: BigInt64Array.from([0n, 1n]), probabilities: Float32Array.from([0.8, 0.2, 0.3, 0.7]) }, 2);
    expect(out.map((p) => p.label)).toEqual(['no', 'yes']);
    expect(out[1].score).toBeCloseTo(0.7, 6);
    expect(out[0].confidence).toBeCloseTo(0.8, 6);
  });
});

describe('trainer-vs-onnxruntime parity', () => {
  const served = [0.1, 0.6, 0.9].map((score) => ({ score, label: score >= 0.5 ? 'yes' : 'no', confidence: 1 }));

  it('passes within the tolerance with every label equal', () => {
    const r = compareWithTrainer(served.map((s) => ({ score: s.score + 5e-5, label: s.label })), served, 1e-4);
    expect(r).toMatchObject({ pass: true, mismatches: 0, labelMismatches: 0, rows: 3 });
  });

  it('fails on a label that differs even when the score is within tolerance, and lists the first rows', () => {
    const r = compareWithTrainer([{ score: 0.1, label: 'no' }, { score: 0.6, label: 'no' }, { score: 0.5, label: 'yes' }], served, 1e-4);
    expect(r).toMatchObject({ pass: false, mismatches: 2, labelMismatches: 1 });
    expect(r.maxAbsDiff).toBeCloseTo(0.4, 9);
    expect(r.firstDiffs?.map((d) => d.row)).toEqual([1, 2]);
  });
});
