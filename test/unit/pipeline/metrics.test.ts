import { auc, classificationMetrics } from '../../../src/domain/metrics/classification';
import { regressionMetrics } from '../../../src/domain/metrics/regression';
import { computeMetrics, metricDelta, sliceReport } from '../../../src/domain/metrics/evaluation';

// Hand-computed: positives score {0.9, 0.6, 0.4}, negatives {0.6, 0.1}. Of the 6 pairs the
// positive wins 4, ties once (0.6 vs 0.6 counts half): AUC = 4.5 / 6 = 0.75.
const labels = [1, 1, 0, 1, 0];
const scores = [0.9, 0.6, 0.6, 0.4, 0.1];

describe('classification metrics', () => {
  it('computes AUC as the rank statistic, counting ties as half', () => {
    expect(auc(labels, scores)).toBeCloseTo(0.75, 12);
  });

  it('gives AUC 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(auc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('returns NaN for AUC when only one class is present', () => {
    expect(auc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNaN();
  });

  it('computes the confusion-matrix metrics, log loss and Brier score at the threshold', () => {
    const m = classificationMetrics(labels, scores, 0.5);
    // predictions [1,1,1,0,0] vs labels [1,1,0,1,0]: tp 2, fp 1, fn 1, tn 1
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.brier).toBeCloseTo((0.01 + 0.16 + 0.36 + 0.36 + 0.01) / 5, 12);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.4) + Math.log(0.4) + Math.log(0.9)) / 5, 12);
  });

  it('leaves undefined metrics out of the metric map instead of writing NaN', () => {
    const m = computeMetrics('binary-classification', [1, 1], [0.7, 0.8]);
    expect(m).not.toHaveProperty('auc');
    expect(m.accuracy).toBe(1);
  });
});

describe('regression metrics', () => {
  it('computes RMSE, MAE and R2 for a hand-checked example', () => {
    const m = regressionMetrics([1, 2, 3], [1, 2, 4]);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(m.mae).toBeCloseTo(1 / 3, 12);
    expect(m.r2).toBeCloseTo(0.5, 12);
  });
});

describe('slice reports', () => {
  it('reports per-slice AUC, the worst slice and the gap between best and worst', () => {
    const r = sliceReport({
      task: 'binary-classification', column: 'gender', primaryMetric: 'auc',
      groups: ['f', 'f', 'f', 'f', 'm', 'm', 'm', 'm'],
      targets: [0, 0, 1, 1, 0, 0, 1, 1],
      scores: [0.1, 0.2, 0.8, 0.9, 0.1, 0.9, 0.2, 0.8],
    });
    expect(r.values).toEqual([{ value: 'f', rows: 4, primary: 1 }, { value: 'm', rows: 4, primary: 0.5 }]);
    expect(r.worst).toBe('m');
    expect(r.gap).toBeCloseTo(0.5, 12);
  });

  it('treats the highest RMSE as the worst slice for lower-is-better metrics', () => {
    const r = sliceReport({ task: 'regression', column: 'g', primaryMetric: 'rmse', groups: ['a', 'a', 'b', 'b'], targets: [1, 2, 1, 2], scores: [1, 2, 3, 4] });
    expect(r.worst).toBe('b');
    expect(r.gap).toBeCloseTo(2, 12);
  });

  it('computes the delta as candidate minus champion for shared metrics', () => {
    expect(metricDelta({ auc: 0.8, f1: 0.5 }, { auc: 0.75 })).toEqual({ auc: expect.closeTo(0.05, 12) });
  });
});
