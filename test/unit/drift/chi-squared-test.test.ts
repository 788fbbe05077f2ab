import { chiSquaredHomogeneity } from '../../../src/domain/drift/chi-squared-test';

// Reference values: scipy 1.17.1, `scipy.stats.chi2_contingency([reference, current], correction=False)`,
// computed once with python3 and pasted here.
describe('chiSquaredHomogeneity', () => {
  it('matches scipy chi2_contingency when a new category appears (statistic, df 3, p-value)', () => {
    const r = chiSquaredHomogeneity([500, 300, 200, 0], [450, 300, 230, 20]);
    expect(r.statistic).toBeCloseTo(24.724602203182375, 10);
    expect(r.df).toBe(3);
    expect(Math.abs(r.pValue - 1.762914673694489e-5) / 1.762914673694489e-5).toBeLessThan(1e-9);
  });

  it('matches scipy on a small table with no real difference', () => {
    const r = chiSquaredHomogeneity([50, 30, 20], [55, 30, 15]);
    expect(r.statistic).toBeCloseTo(0.9523809523809523, 12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(0.6211451576154516, 12);
  });

  it('gives statistic 0 and p = 1 when the current shares equal the reference shares, by hand', () => {
    expect(chiSquaredHomogeneity([200, 100], [20, 10])).toEqual({ statistic: 0, df: 1, pValue: 1 });
  });

  it('drops categories empty on both sides from the degrees of freedom', () => {
    expect(chiSquaredHomogeneity([50, 30, 20, 0], [55, 30, 15, 0]).df).toBe(2);
  });

  it('reports no evidence when one side is empty or only one category is seen', () => {
    expect(chiSquaredHomogeneity([10, 5], [0, 0])).toEqual({ statistic: 0, df: 1, pValue: 1 });
    expect(chiSquaredHomogeneity([10, 0], [7, 0])).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });

  it('rejects count vectors of different lengths, naming both lengths', () => {
    expect(() => chiSquaredHomogeneity([1, 2], [1])).toThrow('2 reference vs 1 current categories');
  });
});
