/** Which way is better for each metric, so gates compare "worse by" the same way for all of them. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'brier', 'rmse', 'mae']);

export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER.has(metric);
}

/** How much worse `candidate` is than `reference` (positive = worse), whatever the metric's direction. */
export function worseBy(metric: string, candidate: number, reference: number): number {
  return higherIsBetter(metric) ? reference - candidate : candidate - reference;
}

/** The default primary metric of a task. */
export function defaultPrimaryMetric(task: 'binary-classification' | 'regression'): string {
  return task === 'regression' ? 'rmse' : 'auc';
}
