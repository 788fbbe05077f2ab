/** Chi-square upper tail (integer degrees of freedom) via the regularized incomplete gamma function (Numerical Recipes 6.2). Pure. */

/**
 * ln Γ(a) for a a positive multiple of 1/2, which is all a chi-square with integer degrees of freedom
 * needs: Γ(a) = (a-1)(a-2)...Γ(1 or 1/2), with Γ(1) = 1 and Γ(1/2) = √π. Exact, no series constants.
 */
function logGamma(a: number): number {
  if (Math.abs(a * 2 - Math.round(a * 2)) > 1e-9 || a <= 0) throw new Error(`logGamma: ${a} is not a positive multiple of 1/2`);
  let sum = Number.isInteger(a) ? 0 : 0.5 * Math.log(Math.PI);
  for (let x = a - 1; x > 0.25; x -= 1) sum += Math.log(x);
  return sum;
}

/** Lower regularized gamma P(a, x) by its series; converges fast for x < a + 1. */
function gammaPSeries(a: number, x: number): number {
  let sum = 1 / a;
  let del = sum;
  for (let n = 1; n < 500; n++) {
    del *= x / (a + n);
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-14) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Upper regularized gamma Q(a, x) by its continued fraction; for x >= a + 1. */
function gammaQContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(X >= x) for X ~ chi-square with `df` (a positive integer) degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  const a = df / 2;
  const half = x / 2;
  return half < a + 1 ? 1 - gammaPSeries(a, half) : gammaQContinuedFraction(a, half);
}
