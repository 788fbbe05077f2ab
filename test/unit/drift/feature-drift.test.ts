import { mulberry32 } from '../../../src/domain/data/prng';
import { referenceStats } from '../../../src/domain/data/reference-stats';
import { featureDrift } from '../../../src/domain/drift/feature-drift';
import { judgeDrift } from '../../../src/domain/drift/judge-drift';
import { DriftPolicySchema, DriftReportSchema, ReferenceStatsSchema } from '../../../src/domain/drift/schema';
import { irwinHallNormals } from './samples';

const N = 3000;
const rand = mulberry32(11);
const income = irwinHallNormals(21, N);
const colours = Array.from({ length: N }, () => (rand() < 0.6 ? 'red' : rand() < 0.5 ? 'green' : 'blue'));
const rows = income.map((x, i) => ({ income: x, colour: colours[i] }));
// The reference comes from the data module, so this also checks its output type fits the drift schemas.
const reference = referenceStats(rows, ['income', 'colour'], ['colour']);

describe('featureDrift', () => {
  it('reports PSI 0 and no drift when the current columns are the training data itself', () => {
    const report = featureDrift({ reference, current: { income, colour: colours } });
    const [num, cat] = report.features;
    expect(num).toMatchObject({ feature: 'income', kind: 'numeric', samples: N, missing: 0, drifted: false });
    expect(num.psi).toBeCloseTo(0, 12);
    // The reference keeps 200 evenly spaced order statistics, not the data, so D is small but not 0.
    expect(num.ks!.d).toBeLessThan(0.01);
    expect(cat).toMatchObject({ feature: 'colour', kind: 'categorical', chi2: { statistic: 0, df: 2, pValue: 1 }, drifted: false });
    expect(cat.psi).toBeCloseTo(0, 12);
    expect(judgeDrift(report)).toEqual({ verdict: 'stable', drifted: [], inconclusive: [] });
  });

  it('flags a numeric feature shifted by one standard deviation on both PSI and KS', () => {
    const report = featureDrift({ reference, current: { income: Float64Array.from(irwinHallNormals(22, 2000, 1)), colour: colours } });
    const num = report.features[0];
    expect(num.drifted).toBe(true);
    expect(num.psi).toBeGreaterThan(0.2);
    expect(num.ks!.pValue).toBeLessThan(1e-10);
    expect(num.reason).toMatch(/^PSI .* > maxPsi 0.2; KS p-value .* < alpha 0.01$/);
    expect(judgeDrift(report)).toEqual({ verdict: 'drift', drifted: ['income'], inconclusive: [] });
  });

  it('flags a categorical feature when a new category takes a fifth of the traffic', () => {
    const current = colours.map((c, i) => (i % 5 === 0 ? 'purple' : c));
    const cat = featureDrift({ reference, current: { income, colour: current } }).features[1];
    expect(cat.drifted).toBe(true);
    expect(cat.chi2!.df).toBe(3); // red, green, blue, __other__
    expect(cat.chi2!.pValue).toBeLessThan(1e-10);
    expect(cat.reason).toContain('chi-squared p-value');
  });

  it('does not call a sample from the same distribution drifted', () => {
    const report = featureDrift({ reference, current: { income: irwinHallNormals(23, 2000), colour: colours.slice(0, 2000) } });
    expect(judgeDrift(report).verdict).toBe('stable');
  });

  it('counts non-finite numbers as missing rather than as values', () => {
    const num = featureDrift({ reference, current: { income: [...income, NaN, -Infinity], colour: colours } }).features[0];
    expect(num).toMatchObject({ samples: N, missing: 2 });
  });

  it('throws naming the feature when a reference feature has no current column', () => {
    expect(() => featureDrift({ reference, current: { income } })).toThrow('current.colour: column missing; pass a column for every reference feature');
  });

  it('throws naming the feature when a numeric feature gets strings', () => {
    expect(() => featureDrift({ reference, current: { income: ['1.5'], colour: colours } })).toThrow('current.income: numeric feature got strings');
  });

  it('throws naming the reference field when a stored sample is not sorted', () => {
    const unsorted = { ...reference, features: { income: { ...reference.features.income, sample: [3, 1, 2] } } };
    expect(() => featureDrift({ reference: unsorted, current: { income } })).toThrow('reference.features.income.sample: reference values must be finite and ascending');
  });

  it('produces a report the report schema accepts', () => {
    expect(() => DriftReportSchema.parse(featureDrift({ reference, current: { income, colour: colours } }))).not.toThrow();
  });
});

describe('judgeDrift', () => {
  const shifted = featureDrift({ reference, current: { income: irwinHallNormals(24, 50, 1), colour: colours.slice(0, 50) } });

  it('calls too few samples inconclusive, never stable or drift', () => {
    expect(judgeDrift(shifted)).toEqual({ verdict: 'inconclusive', drifted: [], inconclusive: ['income', 'colour'] });
    expect(shifted.features[0].reason).toBe('too few samples: 50 < minSamples 100');
  });

  it('re-judges a stored report under a new policy without the data', () => {
    expect(judgeDrift(shifted, { minSamples: 20 }).drifted).toContain('income');
    expect(judgeDrift(shifted, { minSamples: 20, maxPsi: 100, alpha: 0 })).toEqual({ verdict: 'stable', drifted: [], inconclusive: [] });
  });

  it('calls drift when one feature clearly drifted even though another is thin', () => {
    const report = { features: [{ ...shifted.features[0], samples: 5000 }, shifted.features[1]] };
    expect(judgeDrift(report)).toEqual({ verdict: 'drift', drifted: ['income'], inconclusive: ['colour'] });
  });

  it('rejects a bad policy with one line naming the field', () => {
    expect(() => judgeDrift(shifted, { alpha: 2 })).toThrow(/^invalid drift policy: policy\.alpha: /);
  });

  it('calls an empty report inconclusive', () => {
    expect(judgeDrift({ features: [] }).verdict).toBe('inconclusive');
  });
});

describe('drift schemas', () => {
  it('default the policy to maxPsi 0.2, alpha 0.01, minSamples 100', () => {
    expect(DriftPolicySchema.parse({})).toEqual({ maxPsi: 0.2, alpha: 0.01, minSamples: 100 });
  });

  it('reject a reference whose proportions do not match its edges, naming the field', () => {
    const broken = { ...reference, features: { income: { ...reference.features.income, proportions: [1] } } };
    const r = ReferenceStatsSchema.safeParse(broken);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['features', 'income', 'proportions']);
    expect(r.error!.issues[0].message).toContain('one proportion per bin');
  });

  it('reject a negative alpha with the field named', () => {
    const r = DriftPolicySchema.safeParse({ alpha: -1 });
    expect(r.error!.issues[0].path).toEqual(['alpha']);
  });
});
