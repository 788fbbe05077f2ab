import { chiSquareHomogeneity } from './homogeneity';
import { mulberry32 } from '../data/prng';

/** A skewed score distribution over 10 bins, shaped like a credit model's scores. */
const SHAPE = [0.3, 0.2, 0.13, 0.1, 0.08, 0.06, 0.05, 0.04, 0.025, 0.015];
const SHIFTED = [...SHAPE].reverse();

function draw(rand: () => number, shape: number[], n: number): number[] {
  const h = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let u = rand();
    let i = 0;
    while (i < shape.length - 1 && u >= shape[i]) u -= shape[i++];
    h[i]++;
  }
  return h;
}

describe('chiSquareHomogeneity', () => {
  it('matches the Pearson statistic computed by hand for a 2x2 table (30/10 vs 20/20)', () => {
    // Expected 25/25 and 15/15: X2 = 2 * 25/25 + 2 * 25/15 = 5.3333, one degree of freedom, p = 0.02092.
    const r = chiSquareHomogeneity([30, 10], [20, 20]);
    expect(r.statistic).toBeCloseTo(5.3333, 4);
    expect(r.degreesOfFreedom).toBe(1);
    expect(r.pValue).toBeCloseTo(0.02092, 4);
  });

  it('pools sparse bins into their neighbours and reports no evidence when one bin is left', () => {
    const r = chiSquareHomogeneity([10, 0, 0, 1], [10, 1, 0, 0]);
    expect(r.bins).toBe(1);
    expect(r.pValue).toBe(1);
  });

  it('refuses histograms with different bin counts', () => {
    expect(() => chiSquareHomogeneity([1, 2], [1, 2, 3])).toThrow(/bin count/);
  });

  it('finds a real shift significant with only 40 requests per side', () => {
    const rand = mulberry32(5);
    expect(chiSquareHomogeneity(draw(rand, SHAPE, 40), draw(rand, SHIFTED, 40)).pValue).toBeLessThan(0.01);
  });
});
