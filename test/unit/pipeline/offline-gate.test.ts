import type { Evaluation } from '../../../src/domain/metrics/evaluation';
import { judgeOffline } from '../../../src/domain/offline-gate';
import { OfflineSpecSchema } from '../../../src/domain/spec';

const base: Evaluation = {
  snapshotId: 'snap-0000000000000000', artifactId: 'art-0000000000000001', task: 'binary-classification', primaryMetric: 'auc', testRows: 1000,
  metrics: { auc: 0.8, accuracy: 0.75 },
  slices: [{ column: 'gender', values: [{ value: 'f', rows: 500, primary: 0.82 }, { value: 'm', rows: 500, primary: 0.78 }], gap: 0.04, worst: 'm' }],
  parity: { rows: 1000, maxAbsDiff: 0, tolerance: 1e-9, pass: true },
};
const offline = (o: object = {}) => OfflineSpecSchema.parse(o);
const withChampion = (metrics: Record<string, number>, slices = base.slices): Evaluation => ({ ...base, champion: { artifactId: 'art-00000000000000ch', metrics, slices } });

describe('offline gate', () => {
  it('passes an evaluation that meets every threshold and limit', () => {
    expect(judgeOffline(withChampion({ auc: 0.795 }), offline({ thresholds: [{ metric: 'auc', op: '>=', value: 0.75 }] }))).toEqual({ pass: true, reasons: [] });
  });

  it('rejects a metric below its floor and names the metric, value and limit', () => {
    const v = judgeOffline(base, offline({ thresholds: [{ metric: 'auc', op: '>=', value: 0.9 }] }));
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual(['threshold auc >= 0.9: got 0.8000']);
  });

  it('rejects a threshold on a metric the evaluation does not have', () => {
    const v = judgeOffline(base, offline({ thresholds: [{ metric: 'rmse', op: '<=', value: 1 }] }));
    expect(v.reasons[0]).toMatch(/metric "rmse" is not available/);
  });

  it('rejects a primary metric that regressed against the champion by more than maxRegression', () => {
    const v = judgeOffline(withChampion({ auc: 0.83 }), offline({ maxRegression: 0.01 }));
    expect(v.pass).toBe(false);
    expect(v.reasons[0]).toMatch(/auc regressed by 0.0300 vs champion/);
  });

  it('treats a higher RMSE as a regression for lower-is-better metrics', () => {
    const ev: Evaluation = { ...base, task: 'regression', primaryMetric: 'rmse', metrics: { rmse: 1.2 }, slices: [], champion: { artifactId: 'art-00000000000000ch', metrics: { rmse: 1.0 }, slices: [] } };
    expect(judgeOffline(ev, offline({ maxRegression: 0.1 })).reasons[0]).toMatch(/rmse regressed by 0.2000/);
    expect(judgeOffline({ ...ev, metrics: { rmse: 0.9 } }, offline({ maxRegression: 0.1 })).pass).toBe(true);
  });

  it('rejects a gap between slices larger than maxSliceGap', () => {
    const v = judgeOffline(base, offline({ maxSliceGap: 0.02 }));
    expect(v.reasons).toEqual([expect.stringMatching(/slice gap on "gender".*worst: m/)]);
  });

  it('rejects a slice that regressed against the same slice of the champion', () => {
    const champSlices = [{ column: 'gender', values: [{ value: 'f', rows: 500, primary: 0.82 }, { value: 'm', rows: 500, primary: 0.86 }], gap: 0.04, worst: 'f' }];
    const v = judgeOffline(withChampion({ auc: 0.8 }, champSlices), offline({ maxSliceRegression: 0.05 }));
    expect(v.reasons).toEqual([expect.stringMatching(/slice gender=m: auc regressed by 0.0800/)]);
  });

  it('rejects a failed training-serving parity check', () => {
    const v = judgeOffline({ ...base, parity: { rows: 10, maxAbsDiff: 0.01, tolerance: 1e-9, pass: false } }, offline());
    expect(v.reasons).toEqual([expect.stringMatching(/^parity: training-serving predictions differ by up to 0.01/)]);
  });

  it('names the rows and labels that differ when an ONNX trainer disagrees with onnxruntime', () => {
    const parity = { kind: 'trainer-vs-onnxruntime' as const, rows: 300, maxAbsDiff: 0.2, tolerance: 1e-4, pass: false, mismatches: 41, labelMismatches: 7 };
    expect(judgeOffline({ ...base, parity }, offline()).reasons).toEqual(['parity: training-serving predictions differ by up to 0.2 in 41 of 300 rows, 7 labels differ (tolerance 0.0001)']);
  });
});
