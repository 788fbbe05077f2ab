/** The `mlgate-linear/v1` runtime: the same `predictRow` the evaluation's training-path parity check uses. */
import { predictRow, type ModelBundle } from '../../domain/model/bundle';
import { rowProblems } from '../../domain/model/row-check';
import type { ModelRuntime } from '../../ports/model-runtime';

export function createLinearRuntime(bundle: ModelBundle): ModelRuntime {
  return {
    check: (rows) => rowProblems(bundle.features, rows),
    predict: (rows) => rows.map((r) => predictRow(bundle, r)),
    close: async () => undefined,
  };
}
