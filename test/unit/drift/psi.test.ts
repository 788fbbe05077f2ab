import { binIndex, categoricalStats, numericStats } from '../../../src/domain/data/reference-stats';
import { mulberry32 } from '../../../src/domain/data/prng';
import { countIntoBins, OTHER_CATEGORY, PSI_EPSILON, psiAgainstReference, psiCategorical } from '../../../src/domain/drift/psi';
import type { NumericReference } from '../../../src/domain/drift/schema';
import { irwinHallNormals } from './samples';

/** A reference with only the fields PSI reads filled in meaningfully. */
function binsOnly(edges: number[], proportions: number[]): NumericReference {
  return { kind: 'numeric', count: 100, mean: 0, std: 1, min: -1, max: 1, edges, proportions, sample: [] };
}

describe('psiAgainstReference', () => {
  it('is 0 when the current values are the reference data itself', () => {
    const values = irwinHallNormals(1, 2000);
    const r = psiAgainstReference(numericStats(values), values);
    // Not bit-exact 0: the stored proportions sum to 1 only up to rounding (here ~1e-32).
    expect(r.psi).toBeCloseTo(0, 15);
    expect(r).toMatchObject({ samples: 2000, missing: 0 });
  });

  it('gives 0.25 ln 3 for a 50/50 reference seen 75/25, by hand', () => {
    // (0.75 - 0.5) ln(0.75/0.5) + (0.25 - 0.5) ln(0.25/0.5) = 0.25 (ln 1.5 + ln 2) = 0.25 ln 3
    const r = psiAgainstReference(binsOnly([0], [0.5, 0.5]), [-1, -1, -1, 1]);
    expect(r.psi).toBeCloseTo(0.27465307216702745, 14);
  });

  it('puts values beyond the first and last edge into the end bins, and a value on an edge into the bin below', () => {
    const ref = binsOnly([0, 1], [1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(countIntoBins(ref.edges, [-100, 0.5, 100]).counts)).toEqual([1, 1, 1]);
    expect(Array.from(countIntoBins(ref.edges, [0, 1, 1.0001]).counts)).toEqual([1, 1, 1]);
    expect(psiAgainstReference(ref, [-100, 0.5, 100]).psi).toBeCloseTo(0, 15);
  });

  it('bins exactly as binIndex in reference-stats does', () => {
    const values = irwinHallNormals(2, 3000);
    const edges = numericStats(irwinHallNormals(3, 1000)).edges;
    const expected = new Array<number>(edges.length + 1).fill(0);
    for (const x of values) expected[binIndex(edges, x)]++;
    expect(Array.from(countIntoBins(edges, values).counts)).toEqual(expected);
  });

  it('uses epsilon 1e-4 for an empty bin, so the index stays finite, by hand', () => {
    // 0.5 ln(1/0.5) + (1e-4 - 0.5) ln(1e-4/0.5) = 4.60431846666895 (python3 math.log)
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psiAgainstReference(binsOnly([0], [0.5, 0.5]), [-1, -2]).psi).toBeCloseTo(4.60431846666895, 12);
  });

  it('leaves non-finite values out and counts them as missing', () => {
    expect(psiAgainstReference(binsOnly([0], [0.5, 0.5]), Float64Array.from([-1, 1, NaN, Infinity]))).toEqual({ psi: 0, samples: 2, missing: 2 });
  });

  it('grows with the size of a shift in the current data', () => {
    const ref = numericStats(irwinHallNormals(4, 5000));
    const psis = [0, 0.25, 0.5, 1].map((shift) => psiAgainstReference(ref, irwinHallNormals(5, 5000, shift)).psi);
    expect(psis[0]).toBeLessThan(0.02);
    for (let i = 1; i < psis.length; i++) expect(psis[i]).toBeGreaterThan(psis[i - 1]);
    expect(psis[3]).toBeGreaterThan(0.2);
  });
});

describe('psiCategorical', () => {
  it('is 0 when the current categories have the reference frequencies', () => {
    const rand = mulberry32(9);
    const values = Array.from({ length: 1000 }, () => (rand() < 0.7 ? 'red' : 'blue'));
    expect(psiCategorical(categoricalStats(values), values).psi).toBe(0);
  });

  it('pools unseen categories into __other__ and uses epsilon for empty categories, by hand', () => {
    // a: 0.75 vs 0.5; b: 0 -> 1e-4 vs 0.5; __other__ (c): 0.25 vs 0 -> 1e-4
    // 0.25 ln 1.5 + (1e-4 - 0.5) ln(1e-4/0.5) + (0.25 - 1e-4) ln(0.25/1e-4) = 6.314340251529005 (python3)
    const r = psiCategorical({ kind: 'categorical', count: 100, frequencies: { a: 0.5, b: 0.5 } }, ['a', 'a', 'a', 'c']);
    expect(OTHER_CATEGORY).toBe('__other__');
    expect(r.psi).toBeCloseTo(6.314340251529005, 12);
    expect(r.samples).toBe(4);
  });

  it('matches numbers to categories by their string form', () => {
    const ref = { kind: 'categorical' as const, count: 4, frequencies: { '1': 0.5, '2': 0.5 } };
    expect(psiCategorical(ref, [1, 2, '1', '2']).psi).toBe(0);
  });
});
