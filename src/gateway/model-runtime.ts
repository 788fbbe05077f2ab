/**
 * The model runtime behind the gateway: anything that turns rows into predictions. The built-in
 * linear format is served with the same `predictRow` the evaluation's parity check uses.
 */
import { predictRow, type ModelBundle, type Prediction, type Row } from '../domain/model/bundle';
import { rowProblems } from '../domain/model/row-check';

export interface ModelRuntime {
  /** The caller's mistakes in `rows` (see rowProblems); empty when the model can answer them. */
  check(rows: readonly Row[]): string[];
  predict(rows: readonly Row[]): Promise<Prediction[]> | Prediction[];
}

export function createBuiltinRuntime(bundle: ModelBundle): ModelRuntime {
  return { check: (rows) => rowProblems(bundle.features, rows), predict: (rows) => rows.map((r) => predictRow(bundle, r)) };
}

export interface RuntimeCacheOptions {
  loadBundle: (artifactId: string) => Promise<ModelBundle>;
}

export interface RuntimeCache {
  get(artifactId: string): Promise<ModelRuntime>;
}

/** Loads each artifact once; concurrent first requests share the load, a failed load is retried next time. */
export function createRuntimeCache({ loadBundle }: RuntimeCacheOptions): RuntimeCache {
  const cache = new Map<string, Promise<ModelRuntime>>();
  return {
    get(artifactId) {
      let p = cache.get(artifactId);
      if (!p) {
        p = loadBundle(artifactId).then(createBuiltinRuntime);
        cache.set(artifactId, p);
        p.catch(() => cache.delete(artifactId));
      }
      return p;
    },
  };
}
