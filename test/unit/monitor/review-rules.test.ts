import { keptInputs, monitoringConfig, needsReview } from '../../../src/domain/monitor/review-rules';
import { ModelSpecSchema } from '../../../src/domain/spec';

const spec = ModelSpecSchema.parse({
  id: 'credit', owner: 'o@example.com', riskClass: 'low', reviewConfidenceBelow: 0.7,
  data: { source: { kind: 'iris' }, label: 'y', features: ['income', 'email', 'region'], pii: [{ column: 'email', action: 'hash' }, { column: 'name', action: 'drop' }] },
});

describe('review and logging rules', () => {
  it('keeps only feature columns and never a PII column, even a hashed feature', () => {
    const config = monitoringConfig(spec);
    expect(config.keepColumns).toEqual(['income', 'region']);
    expect(keptInputs({ income: 10, email: 'a@b.c', name: 'Ana', region: 'north', extra: 1 }, config)).toEqual({ income: 10, region: 'north' });
  });

  it('keeps nothing of a row when the model has no monitoring config', () => {
    expect(keptInputs({ income: 10 }, undefined)).toEqual({});
  });

  it('queues predictions strictly below the spec threshold for review', () => {
    const config = monitoringConfig(spec);
    expect([needsReview(0.69, config), needsReview(0.7, config), needsReview(0.1, undefined)]).toEqual([true, false, false]);
  });
});
