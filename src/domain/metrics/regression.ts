/** Regression metrics. Pure. */
export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
}

export function regressionMetrics(actual: number[], predicted: number[]): RegressionMetrics {
  const n = actual.length;
  const mean = actual.reduce((s, y) => s + y, 0) / n;
  let se = 0, ae = 0, tot = 0;
  actual.forEach((y, i) => {
    se += (y - predicted[i]) ** 2;
    ae += Math.abs(y - predicted[i]);
    tot += (y - mean) ** 2;
  });
  return { rmse: Math.sqrt(se / n), mae: ae / n, r2: tot === 0 ? NaN : 1 - se / tot };
}
