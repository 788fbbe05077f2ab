/** Reads a model spec (YAML or JSON) by path or by model name under MLGATE_MODELS_DIR; lists every problem by path. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseModelSpec, type ModelSpec } from '../domain/spec';
import { CliError } from './cli-error';

export interface LoadedSpec {
  spec: ModelSpec;
  file: string;
  dir: string;
}

/** `credit-risk` -> <modelsDir>/credit-risk/model.yaml (or .yml/.json, or <modelsDir>/credit-risk.yaml); a path is used as is. */
export function resolveSpecPath(modelOrPath: string, modelsDir: string): string {
  if (existsSync(modelOrPath) && /\.(ya?ml|json)$/i.test(modelOrPath)) return path.resolve(modelOrPath);
  const candidates = ['model.yaml', 'model.yml', 'model.json'].map((f) => path.join(modelsDir, modelOrPath, f));
  candidates.push(...['.yaml', '.yml', '.json'].map((ext) => path.join(modelsDir, `${modelOrPath}${ext}`)));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CliError(`no spec for "${modelOrPath}": give a spec file path, or put one at ${path.join(modelsDir, modelOrPath, 'model.yaml')} (MLGATE_MODELS_DIR=${modelsDir})`);
  return path.resolve(found);
}

export function loadSpecFile(file: string): LoadedSpec {
  let doc: unknown;
  const text = readFileSync(file, 'utf8');
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const r = parseModelSpec(doc);
  if (!r.ok) throw new CliError(`${file}: the spec has ${r.problems.length} problem(s):\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
  return { spec: r.spec, file, dir: path.dirname(file) };
}
