import { chiSquaredSf, gammainc, gammaincc, lgamma } from '../../../src/domain/stats/gamma';

/** Relative closeness, with an absolute floor for values near 0. */
function expectClose(actual: number, expected: number, rel = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

// Reference values: scipy 1.17.1 (python3), computed once and pasted here; the script is
// `scipy.special.gammaln(x)`, `scipy.special.gammaincc(a, x)` and `scipy.stats.chi2.sf(x, df)`.
describe('lgamma', () => {
  it('matches scipy.special.gammaln at positive, tiny and negative non-integer arguments', () => {
    const cases: Array<[number, number]> = [
      [0.5, 0.5723649429247], // ln √π, by hand: 0.5 · ln π = 0.57236494292470
      [1, 0],
      [1.5, -0.12078223763524526],
      [10, 12.801827480081469], // ln 9! = ln 362880
      [100.5, 361.43554046777757],
      [1e-5, 11.512919692895826],
      [-0.5, 1.2655121234846454], // Γ(-1/2) = -2√π, so ln|Γ| = ln(2√π)
      [-2.5, -0.05624371649767401],
    ];
    for (const [x, expected] of cases) expect(Math.abs(lgamma(x) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
  });

  it('is infinite at the poles 0 and the negative integers', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });
});

describe('gammaincc', () => {
  it('matches scipy.special.gammaincc to 1e-9 relative on both the series and the continued-fraction branches', () => {
    const cases: Array<[number, number, number]> = [
      [1, 1, 0.36787944117144245], // Q(1, x) = e^-x, by hand: e^-1
      [0.5, 2, 0.04550026389635857], // Q(1/2, x) = erfc(√x) = erfc(√2)
      [5, 0.1, 0.9999999233219832], // series branch, Q close to 1
      [5, 20, 1.694474393006737e-5], // continued fraction, small tail
      [100, 90, 0.84177901081357], // large a, series branch
      [100, 110, 0.15827867006008706], // large a, continued fraction
      [0.001, 0.001, 0.006312353291139709], // tiny a
      [0.1, 50, 5.891960493418553e-25], // far tail stays accurate in relative terms
    ];
    for (const [a, x, expected] of cases) expectClose(gammaincc(a, x), expected);
  });

  it('returns scipy edge values: 1 at x = 0, 0 at x = ∞ and at a = 0, NaN for negative or 0/0 arguments', () => {
    expect(gammaincc(1, 0)).toBe(1);
    expect(gammaincc(30, 1e-5)).toBe(1); // scipy also gives exactly 1.0: P is below 1e-16
    expect(gammaincc(2.5, Infinity)).toBe(0);
    expect(gammaincc(0, 1)).toBe(0);
    expect(gammaincc(-1, 1)).toBeNaN();
    expect(gammaincc(1, -1)).toBeNaN();
    expect(gammaincc(0, 0)).toBeNaN();
    expect(gammaincc(NaN, 1)).toBeNaN();
  });

  it('is the complement of gammainc across the branch switch at x = a + 1', () => {
    for (const [a, x] of [[3, 3.999], [3, 4], [3, 4.001], [0.7, 0.2], [40, 55]]) {
      expect(gammainc(a, x) + gammaincc(a, x)).toBeCloseTo(1, 14);
    }
  });
});

describe('chiSquaredSf', () => {
  it('matches scipy.stats.chi2.sf to 1e-9 relative for integer and fractional degrees of freedom', () => {
    const cases: Array<[number, number, number]> = [
      [0.5, 1, 0.47950012218695337],
      [3.84, 1, 0.05004352124870519], // the familiar 5% critical value for df = 1
      [10, 3, 0.01856613546304325],
      [2, 7, 0.9598403687301016],
      [30, 10, 0.000856641210775301],
      [100, 50, 3.454931382984871e-5],
      [1200, 1000, 1.2255942330622893e-5],
      [7.5, 2.5, 0.038169088215206766],
      [0.01, 4, 0.9999875415886458],
      [200, 5, 2.8406228986415534e-41],
    ];
    for (const [x, df, expected] of cases) expectClose(chiSquaredSf(x, df), expected);
  });

  it('equals e^(-x/2) for two degrees of freedom, by hand', () => {
    // chi2 with df = 2 is exponential with mean 2: sf(x) = e^{-x/2}.
    for (const x of [0.1, 1, 5, 40]) expectClose(chiSquaredSf(x, 2), Math.exp(-x / 2), 1e-13);
  });

  it('equals the closed form for even degrees of freedom: e^(-x/2) times the partial Poisson sum', () => {
    // For df = 2k, sf(x) = e^{-x/2} * sum_{i<k} (x/2)^i / i!  (a Poisson tail, computed independently here).
    const closedForm = (x: number, k: number) => {
      let term = 1;
      let sum = 1;
      for (let i = 1; i < k; i++) sum += (term *= x / 2 / i);
      return Math.exp(-x / 2) * sum;
    };
    for (const [x, df] of [[3.2, 4], [12, 10], [80, 60], [0.5, 30]]) expectClose(chiSquaredSf(x, df), closedForm(x, df / 2), 1e-10);
  });

  it('is 1 at x <= 0 and NaN for non-positive degrees of freedom', () => {
    expect(chiSquaredSf(0, 3)).toBe(1);
    expect(chiSquaredSf(-1, 3)).toBe(1);
    expect(chiSquaredSf(1, 0)).toBeNaN();
  });
});
