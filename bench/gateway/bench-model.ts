/** The model and rows the gateway benchmark serves: a hand-built logistic bundle with two numeric features. */
import { ModelBundleSchema, type ModelBundle, type Row } from '../../src/domain/model/bundle';

function logistic(bias: number): ModelBundle {
  return ModelBundleSchema.parse({
    format: 'mlgate-linear/v1',
    task: 'binary-classification',
    algorithm: 'logistic-regression',
    features: [
      { name: 'income', kind: 'numeric', mean: 50, std: 10 },
      { name: 'debt', kind: 'numeric', mean: 20, std: 5 },
    ],
    weights: [1.5, -1],
    bias,
    labels: { positive: 'approve', negative: 'deny' },
  });
}

export const BENCH_MODEL = 'bench-credit';
export const BENCH_BUNDLES: Record<string, ModelBundle> = { 'bench-stable': logistic(0), 'bench-candidate': logistic(0.2) };
export const BENCH_ROWS: Row[] = Array.from({ length: 64 }, (_, i) => ({ income: 30 + ((i * 7) % 41), debt: 10 + ((i * 3) % 21) }));
