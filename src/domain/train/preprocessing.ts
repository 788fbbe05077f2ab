/**
 * Training-time preprocessing: fitted on TRAIN rows only (means, stds, sorted categories), then
 * applied by the training path's own design-matrix builder. The serving path (`predictRow` in
 * bundle.ts) re-implements the transform from the bundle, and the parity check compares the two.
 */
import type { FeatureTransform, Row } from '../model/bundle';

export function fitTransforms(rows: Row[], features: string[], categorical: string[]): FeatureTransform[] {
  const cats = new Set(categorical);
  return features.map((name): FeatureTransform => {
    if (cats.has(name)) {
      const categories = [...new Set(rows.map((r) => String(r[name])))].sort();
      return { name, kind: 'categorical', categories };
    }
    const xs = rows.map((r) => Number(r[name]));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    // A constant column scales by 1, so it contributes 0 instead of dividing by zero.
    return { name, kind: 'numeric', mean, std: std > 0 ? std : 1 };
  });
}

/** The training path's design matrix: column-wise, written independently of `vectorize`. */
export function designMatrix(transforms: FeatureTransform[], rows: Row[]): number[][] {
  const columns: number[][] = [];
  for (const t of transforms) {
    if (t.kind === 'numeric') {
      columns.push(rows.map((r) => (Number(r[t.name]) - t.mean) / t.std));
    } else {
      const index = new Map(t.categories.map((c, i) => [c, i]));
      const block = t.categories.map(() => new Array<number>(rows.length).fill(0));
      rows.forEach((r, i) => {
        const k = index.get(String(r[t.name]));
        if (k !== undefined) block[k][i] = 1;
      });
      columns.push(...block);
    }
  }
  return rows.map((_, i) => columns.map((c) => c[i]));
}

/** Numeric targets: 1/0 against the positive label for classification, the number for regression. */
export function targets(rows: Row[], label: string, task: 'binary-classification' | 'regression', positiveLabel: string): number[] {
  return rows.map((r) => (task === 'regression' ? Number(r[label]) : String(r[label]) === positiveLabel ? 1 : 0));
}
