/**
 * Log-gamma and the regularized incomplete gamma functions, for chi-squared p-values with any
 * degrees of freedom. Pure and deterministic (sandbox-safe).
 *
 * `src/domain/stats/chi-square.ts` has an exact log-gamma for half-integers only; drift tests need
 * the general function (and `gammaincc` is reused as a building block), so it lives here.
 */

/** Lanczos coefficients for g = 7, n = 9 (Numerical Recipes / Godfrey): about 15 significant digits. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.9189385332046728;

/** ln|Γ(x)| by the Lanczos approximation, with the reflection formula below 1/2. NaN at poles (0, -1, ...). */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx); keeps the approximation on its accurate half-plane.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const TINY = 1e-300;
/** Enough for a up to ~1e8: both expansions need O(sqrt(a)) terms near x ≈ a. */
const MAX_ITERATIONS = 100_000;

/** x^a e^-x / Γ(a), in log space so large a and x do not overflow. */
function prefactor(a: number, x: number): number {
  return Math.exp(a * Math.log(x) - x - lgamma(a));
}

/** P(a, x) by its power series: Σ x^n / (a(a+1)...(a+n)). Converges quickly for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

/** Q(a, x) by its continued fraction (modified Lentz). Converges quickly for x >= a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return prefactor(a, x) * h;
}

function invalid(a: number, x: number): boolean {
  return Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0 || a === Infinity || (a === 0 && x === 0);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), as `scipy.special.gammaincc`.
 * As scipy at the edges: NaN for a < 0, x < 0, a = x = 0 or NaN input; Q(a, 0) = 1, Q(a, ∞) = 0,
 * and Q(0, x > 0) = 0 (the limit as a → 0).
 * Each branch computes the quantity that is not a difference of nearly equal numbers there.
 */
export function gammaincc(a: number, x: number): number {
  if (invalid(a, x)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity || a === 0) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x) = 1 - Q(a, x), as `scipy.special.gammainc`. */
export function gammainc(a: number, x: number): number {
  if (invalid(a, x)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity || a === 0) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Chi-squared survival function P(X >= x) for `df` > 0 degrees of freedom, as `scipy.stats.chi2.sf`. */
export function chiSquaredSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  return gammaincc(df / 2, x / 2);
}
