/** Shared test inputs for the approval unit tests: real specs parsed through the real schema. */
import { ModelSpecSchema, type ModelSpec, type ModelSpecInput, type RiskClass } from '../../../src/domain/spec';
import type { Evidence } from '../../../src/domain/approval/views';

export function specFor(riskClass: RiskClass, approval: ModelSpecInput['approval'] = {}): ModelSpec {
  return ModelSpecSchema.parse({
    id: 'credit-risk',
    owner: 'owner@example.com',
    riskClass,
    data: { source: { kind: 'iris' }, label: 'species', features: ['sepal_length'] },
    approval,
  });
}

export const evidence: Evidence = {
  offline: {
    metrics: { auc: 0.87, accuracy: 0.81 },
    champion: { auc: 0.85, accuracy: 0.8 },
    delta: { auc: 0.02, accuracy: 0.01 },
    primaryMetric: 'auc',
    slices: [
      { slice: 'sex=female', count: 120, metrics: { auc: 0.86 }, champion: { auc: 0.84 } },
      { slice: 'sex=<male>', count: 130, metrics: { auc: 0.88 } },
    ],
  },
  canary: {
    steps: [
      {
        percent: 5,
        verdict: 'pass',
        samples: [
          { t: 0, candidateP99: 40, baselineP99: 38, candidateErrorRate: 0.001, baselineErrorRate: 0.001 },
          { t: 10, candidateP99: 44, baselineP99: 39, candidateErrorRate: 0.002, baselineErrorRate: 0.001 },
        ],
      },
    ],
  },
  modelCardUrl: 'http://127.0.0.1/cards/credit-risk.md',
};
