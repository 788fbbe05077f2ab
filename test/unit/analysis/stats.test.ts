import { psi } from '../../../src/domain/stats/psi';
import { binomialLowerTail, binomialUpperTail, fisherExactGreater, proportionIncreaseTest, twoProportionZTest } from '../../../src/domain/stats/proportion-tests';
import { chiSquareSurvival } from '../../../src/domain/stats/chi-square';
import { normalCdf } from '../../../src/domain/stats/normal';
import { countAbove, histogramQuantile, latencyBucket, LATENCY_BUCKET_BOUNDS_MS } from '../../../src/domain/stats/histogram';

describe('psi', () => {
  it('matches a value computed by hand for a 50/50 to 25/75 shift', () => {
    // (0.25-0.5)ln(0.25/0.5) + (0.75-0.5)ln(0.75/0.5) = 0.173287 + 0.101366
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.274653, 5);
  });

  it('is zero for identical distributions whatever the counts', () => {
    expect(psi([10, 20, 30], [100, 200, 300])).toBeCloseTo(0, 12);
  });

  it('uses epsilon for an empty bin instead of returning infinity', () => {
    // (0.5-1)ln(0.5/1) + (0.5-1e-4)ln(0.5/1e-4)
    expect(psi([100, 0], [50, 50], { epsilon: 1e-4 })).toBeCloseTo(0.346574 + 0.4999 * Math.log(5000), 5);
  });

  it('refuses histograms with different bin counts', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/bin count/);
  });
});

describe('proportion tests', () => {
  it('two-proportion z-test matches a known value (30/200 vs 20/200)', () => {
    const r = twoProportionZTest(30, 200, 20, 200);
    expect(r.statistic).toBeCloseTo(1.51186, 4);
    expect(r.pValue).toBeCloseTo(0.06529, 4);
  });

  it('two-proportion z-test gives p = 1 when neither side has any event', () => {
    expect(twoProportionZTest(0, 100, 0, 1000).pValue).toBe(1);
  });

  it('exact binomial upper tail matches P(X >= 3) for Bin(10, 0.1)', () => {
    expect(binomialUpperTail(3, 10, 0.1).pValue).toBeCloseTo(0.0701908264, 9);
  });

  it('exact binomial lower tail matches P(X <= 7) for Bin(10, 0.9)', () => {
    // 1 - P(X >= 8) = 1 - (45 * 0.9^8 * 0.01 + 10 * 0.9^9 * 0.1 + 0.9^10)
    expect(binomialLowerTail(7, 10, 0.9).pValue).toBeCloseTo(0.0701908264, 9);
  });

  it('normal cdf matches the 97.5% quantile', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });
});

describe('chi-square survival', () => {
  it('matches textbook critical values', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(16.918978, 9)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(2, 2)).toBeCloseTo(Math.exp(-1), 8);
  });
});

describe('latency histogram', () => {
  it('places a value in the bucket whose upper bound is the first at or above it', () => {
    const i = latencyBucket(10);
    expect(LATENCY_BUCKET_BOUNDS_MS[i]).toBeGreaterThanOrEqual(10);
    expect(LATENCY_BUCKET_BOUNDS_MS[i - 1]).toBeLessThan(10);
  });

  it('reports a p99 within one bucket (25%) above the true value and counts the tail above a threshold', () => {
    const counts = new Array(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
    for (let k = 1; k <= 1000; k++) counts[latencyBucket(k)]++;
    const p99 = histogramQuantile(counts, 0.99);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThanOrEqual(990 * 1.25);
    const above = countAbove(counts, 500);
    expect(above).toBeGreaterThan(400);
    expect(above).toBeLessThanOrEqual(500);
  });
});

describe('fisher exact test', () => {
  it('matches the one-sided p-value of the tea-tasting table (3 of 4 vs 1 of 4)', () => {
    // Hypergeometric: P(X >= 3) = (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4) = 17/70
    expect(fisherExactGreater(3, 4, 1, 4).pValue).toBeCloseTo(17 / 70, 10);
  });

  it('is chosen over the z-test when expected counts are small', () => {
    expect(proportionIncreaseTest(4, 150, 10, 2000).method).toBe('fisher');
    expect(proportionIncreaseTest(300, 2000, 200, 2000).method).toBe('z');
  });
});
