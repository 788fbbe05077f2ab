import { kpiVerdict } from '../../../src/domain/monitor/kpi-verdict';

const policy = { minLabels: 10, minOnlineAccuracy: 0.7 };
const tally = (labelled: number, correct: number, kpi: [number, number] = [0, 0]) => ({ version: 'art-1', labelled, correct, kpiCount: kpi[0], kpiSum: kpi[1] });

describe('online KPI verdict', () => {
  it('is inconclusive, never pass, below minLabels even when every label matches', () => {
    const v = kpiVerdict(tally(9, 9), policy);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/9 labels < minLabels 10/);
  });

  it('passes when online accuracy reaches the threshold', () => {
    const v = kpiVerdict(tally(20, 14), policy);
    expect(v).toMatchObject({ verdict: 'pass', onlineAccuracy: 0.7, labelled: 20 });
  });

  it('fails when online accuracy is below the threshold and names the numbers', () => {
    const v = kpiVerdict(tally(20, 10), policy);
    expect(v.verdict).toBe('fail');
    expect(v.reason).toMatch(/0\.500 < 0\.7 over 20 labels/);
  });

  it('reports the mean KPI value when KPI values were posted', () => {
    expect(kpiVerdict(tally(0, 0, [4, 10]), policy).meanKpi).toBe(2.5);
  });
});
