/**
 * Full-batch gradient descent for logistic and linear regression with L2. Pure and deterministic:
 * weights start at zero, rows are visited in order, so the same data and params give the same
 * weights bit for bit. The seed is kept in the lineage; this algorithm has no randomness to seed.
 */
import { sigmoid } from '../model/bundle';

export const LinearAlgorithm = { logistic: 'logistic-regression', linear: 'linear-regression' } as const;
export type LinearAlgorithm = (typeof LinearAlgorithm)[keyof typeof LinearAlgorithm];

export interface GradientDescentParams {
  /** @default 0.1 */
  learningRate: number;
  /** @default 300 */
  epochs: number;
  /** L2 penalty on the weights (not the bias). @default 0.001 */
  l2: number;
}

export const DEFAULT_GD_PARAMS: GradientDescentParams = { learningRate: 0.1, epochs: 300, l2: 0.001 };

export interface FitResult {
  weights: number[];
  bias: number;
  /** Loss every `logEvery` epochs and at the last, for the training log. */
  losses: Array<{ epoch: number; loss: number }>;
}

export function resolveParams(params: Record<string, unknown>): GradientDescentParams {
  const num = (k: keyof GradientDescentParams) => (typeof params[k] === 'number' ? (params[k] as number) : DEFAULT_GD_PARAMS[k]);
  return { learningRate: num('learningRate'), epochs: Math.round(num('epochs')), l2: num('l2') };
}

function loss(algorithm: LinearAlgorithm, y: number[], out: number[], w: number[], l2: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    if (algorithm === 'linear-regression') s += (out[i] - y[i]) ** 2 / 2;
    else { const p = Math.min(1 - 1e-15, Math.max(1e-15, out[i])); s -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p); }
  }
  return s / y.length + (l2 / 2) * w.reduce((a, b) => a + b * b, 0);
}

export function fitLinearModel(opts: { algorithm: LinearAlgorithm; x: number[][]; y: number[]; params: GradientDescentParams; logEvery?: number }): FitResult {
  const { x, y, algorithm } = opts;
  const { learningRate, epochs, l2 } = opts.params;
  const n = x.length;
  const d = n ? x[0].length : 0;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const losses: FitResult['losses'] = [];
  const logEvery = opts.logEvery ?? 50;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const grad = new Array<number>(d).fill(0);
    let gb = 0;
    const out = x.map((row) => {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j] * row[j];
      return algorithm === 'logistic-regression' ? sigmoid(z) : z;
    });
    for (let i = 0; i < n; i++) {
      const err = out[i] - y[i]; // same form for both losses' gradients
      for (let j = 0; j < d; j++) grad[j] += err * x[i][j];
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] -= learningRate * (grad[j] / n + l2 * w[j]);
    b -= learningRate * (gb / n);
    if (epoch % logEvery === 0 || epoch === epochs || epoch === 1) losses.push({ epoch, loss: loss(algorithm, y, out, w, l2) });
  }
  return { weights: w, bias: b, losses };
}
