import { mulberry32 } from '../../../src/domain/data/prng';
import { ksAgainstSortedSample } from '../../../src/domain/drift/ks-against-sample';
import { kolmogorovSf, ksPValue, ksTwoSample } from '../../../src/domain/drift/kolmogorov-smirnov';
import { irwinHallNormals } from './samples';

// Reference values: scipy 1.17.1 (python3), computed once and pasted here, on the same samples
// (mulberry32 ported to python; the samples are exact, see ./samples.ts):
//   scipy.stats.ks_2samp(a, b, method='asymp')  -> statistic, pvalue
//   scipy.special.kolmogorov((en + 0.12 + 0.11/en) * D), en = sqrt(n*m/(n+m))
// scipy's 'asymp' p-value is kstwo.sf(D, round(en)), not Stephens' corrected Kolmogorov series, so
// it is checked only loosely; the Kolmogorov value is checked to 1e-9.
const a = irwinHallNormals(1, 500);
const shifted = irwinHallNormals(2, 400, 0.5);
const slightlyShifted = irwinHallNormals(3, 500, 0.1);

const relErr = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);

describe('the test samples', () => {
  it('start with the same numbers scipy saw', () => {
    expect(mulberry32(1)()).toBe(0.6270739405881613);
    expect(a[0]).toBe(1.086050414480269);
    expect(shifted[0]).toBe(0.6281010780949146);
  });
});

describe('kolmogorovSf', () => {
  it('matches scipy.special.kolmogorov to 1e-9 on both sides of the series switch at 1.18', () => {
    const cases: Array<[number, number]> = [
      [0.1, 1],
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [0.8, 0.5441424115741981],
      [1.0, 0.26999967167735456],
      [1.18, 0.1234538094297657],
      [1.2, 0.11224966667072497],
      [1.5, 0.022217962616525127],
      [2.0, 0.0006709252557796953],
      [3.0, 3.045995948942526e-8],
    ];
    for (const [lambda, expected] of cases) expect(relErr(kolmogorovSf(lambda), expected)).toBeLessThan(1e-9);
  });

  it('is 1 at and below zero', () => {
    expect(kolmogorovSf(0)).toBe(1);
    expect(kolmogorovSf(-2)).toBe(1);
  });
});

describe('ksTwoSample', () => {
  it('gives D = 0 and p = 1 for identical samples', () => {
    expect(ksTwoSample(a, a)).toEqual({ d: 0, pValue: 1 });
  });

  it('finds scipy’s D = 0.192 for a normal shifted by half a standard deviation, with a tiny p-value', () => {
    const r = ksTwoSample(a, shifted);
    expect(r.d).toBeCloseTo(0.192, 12);
    expect(relErr(r.pValue, 1.157252998876009e-7)).toBeLessThan(1e-9); // kolmogorov(2.886623783870274)
    expect(relErr(r.pValue, 1.2142803989778576e-7)).toBeLessThan(0.06); // ks_2samp asymp
  });

  it('finds scipy’s D = 0.07 for a shift of 0.1 standard deviations, which is not significant', () => {
    const r = ksTwoSample(a, slightlyShifted);
    expect(r.d).toBeCloseTo(0.07, 12);
    expect(relErr(r.pValue, 0.16580778180902842)).toBeLessThan(1e-9);
    expect(relErr(r.pValue, 0.164539772293683)).toBeLessThan(0.01);
  });

  it('computes D by hand for two tiny samples, ties included', () => {
    // ECDFs at 1, 2, 3, 4: a = [1,2,2,3] -> 1/4, 3/4, 1, 1; b = [2,4] -> 0, 1/2, 1/2, 1. Largest gap 1/2 (at 3).
    expect(ksTwoSample([3, 2, 1, 2], [4, 2]).d).toBe(0.5);
  });

  it('ignores non-finite values and treats an empty side as no evidence', () => {
    expect(ksTwoSample([1, NaN, 2, Infinity], [1, 2]).d).toBe(0);
    expect(ksTwoSample([], [1, 2])).toEqual({ d: 0, pValue: 1 });
  });
});

describe('ksPValue', () => {
  it('applies the small-sample correction (en + 0.12 + 0.11/en) * D, by hand', () => {
    // n = m = 50: en = 5, lambda = (5 + 0.12 + 0.022) * 0.2 = 1.0284
    expect(ksPValue(0.2, 50, 50)).toBeCloseTo(kolmogorovSf(1.0284), 14);
  });
});

describe('ksAgainstSortedSample', () => {
  it('gives exactly the D and p-value of the sorting implementation, with many ties', () => {
    const rand = mulberry32(7);
    const reference = Array.from({ length: 300 }, () => Math.round(rand() * 40) / 4).sort((x, y) => x - y);
    const current = Array.from({ length: 5000 }, () => Math.round((rand() * 42 - 1) * 2) / 8);
    const fast = ksAgainstSortedSample(reference, current);
    expect(fast.d).toBeGreaterThan(0);
    expect({ d: fast.d, pValue: fast.pValue }).toEqual(ksTwoSample(current, reference));
  });

  it('matches scipy’s D on the shifted normal and counts only finite values', () => {
    const reference = [...a].sort((x, y) => x - y);
    const r = ksAgainstSortedSample(reference, Float64Array.from([...shifted, NaN]));
    expect(r.d).toBeCloseTo(0.192, 12);
    expect(r.n).toBe(400);
  });

  it('gives D = 0 when the current values are the reference sample itself', () => {
    const reference = [...a].sort((x, y) => x - y);
    expect(ksAgainstSortedSample(reference, a)).toMatchObject({ d: 0, pValue: 1 });
  });
});
