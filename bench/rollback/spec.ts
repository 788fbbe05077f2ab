/**
 * The model spec the rollback benchmark releases: the synthetic credit model, low risk (both gates
 * approve themselves with the evidence recorded, so no person is in the timing), short bakes.
 */
import { ModelSpecSchema, type ModelSpec, type ModelSpecInput } from '../../src/domain/spec';

export function benchSpec(id: string, overrides: Partial<ModelSpecInput> = {}): ModelSpec {
  return ModelSpecSchema.parse({
    id,
    owner: 'bench@example.com',
    riskClass: 'low',
    data: {
      source: { kind: 'synthetic-credit', rows: 1500, seed: 1 },
      label: 'default',
      features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'],
      categorical: ['region'],
      pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }],
      split: { kind: 'random', testFraction: 0.25, seed: 3 },
    },
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 120, learningRate: 0.2 }, seed: 7 },
    offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.6 }], maxSliceGap: 0.5, maxSliceRegression: 0.5, maxRegression: 0.5 },
    slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '10s', onInconclusive: 'rollback' },
    strategy: { kind: 'canary', steps: [50, 100], stepBake: '2s', postPromotionWatch: '1s' },
    ...overrides,
  });
}

/** A trainer setting whose artifact differs from the champion's (epochs change the weights). */
export function candidateTrainer(epochs: number): ModelSpecInput['trainer'] {
  return { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs, learningRate: 0.2 }, seed: 7 };
}
