/**
 * The model bench/onnx measures: the shipped scikit-learn example (100 gradient-boosted trees behind
 * a ColumnTransformer) trained by its real train.py in the project's Python environment on the
 * synthetic credit data, exactly as a release would train it. Returns the manifest and model bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import type { Row } from '../../src/domain/model/bundle';
import { OnnxManifestSchema, type OnnxManifest } from '../../src/domain/model/onnx-manifest';

const ROOT = resolve(__dirname, '../..');
const FEATURES = ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'];

export interface TrainedOnnx {
  manifest: OnnxManifest;
  bytes: Uint8Array;
  dir: string;
  rows: Row[];
}

export function trainSklearnExample(): TrainedOnnx {
  const dir = mkdtempSync(join(tmpdir(), 'mlgate-bench-onnx-'));
  const input = join(dir, 'input');
  const output = join(dir, 'output');
  mkdirSync(input);
  mkdirSync(output);
  const rows = generateSyntheticCredit({ rows: 3000, seed: 1, drift: 0 }) as unknown as Row[];
  const jsonl = (rs: Row[]) => `${rs.map((r) => JSON.stringify(r)).join('\n')}\n`;
  writeFileSync(join(input, 'train.jsonl'), jsonl(rows.slice(0, 2250)));
  writeFileSync(join(input, 'test.jsonl'), jsonl(rows.slice(2250)));
  writeFileSync(join(input, 'params.json'), JSON.stringify({ params: { nEstimators: 100 }, seed: 7, features: FEATURES, categorical: ['region'], label: 'default', task: 'binary-classification', positiveLabel: '1' }));
  execFileSync(join(ROOT, '.cache/python/bin/python'), ['train.py'], { cwd: join(ROOT, 'examples/sklearn-credit'), env: { PATH: process.env.PATH, MLGATE_TRAIN_INPUT: input, MLGATE_TRAIN_OUTPUT: output }, stdio: 'pipe' });
  const manifest = OnnxManifestSchema.parse(JSON.parse(readFileSync(join(output, 'bundle.json'), 'utf8')));
  return { manifest, bytes: readFileSync(join(output, 'model.onnx')), dir: output, rows: rows.slice(2250) };
}
