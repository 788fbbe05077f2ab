import type { CheckPeriodResult } from '../../../src/activities/monitor';
import { periodOf } from '../../../src/workers/monitor-periods';

type Checked = CheckPeriodResult & { status: 'checked' };

const checked = (o: Partial<Checked> = {}): Checked => ({
  status: 'checked', champion: 'art-a', snapshotId: 'snap-1', afterSeq: 10, samples: 200,
  drift: { verdict: 'drift', drifted: ['income'], features: [
    { feature: 'income', psi: 0.31, pValue: 0.001, drifted: true, reason: 'psi 0.31 > 0.2' },
    { feature: 'age', psi: 0.02, pValue: 0.6, drifted: false, reason: 'stable' },
  ] },
  predictionDrift: null,
  slo: { requests: 200, errorRate: 0.005, p99Ms: 42, breaches: [] },
  kpi: { verdict: 'inconclusive', reason: '0 labels < minLabels 30' } as Checked['kpi'],
  ...o,
});

describe('a monitor period as the console charts it', () => {
  it('takes the largest feature PSI, the SLO line and the drifted features of one checked period', () => {
    expect(periodOf(checked(), 4, '2026-01-01T00:00:00.000Z')).toEqual({
      period: 4, at: '2026-01-01T00:00:00.000Z', samples: 200, driftVerdict: 'drift', drifted: ['income'],
      maxFeaturePsi: 0.31, predictionPsi: null, slo: { requests: 200, errorRate: 0.005, p99Ms: 42, breaches: [] },
    });
  });

  it('keeps an unavailable SLO apart from a measured one, and has no PSI without features', () => {
    const p = periodOf(checked({ drift: { verdict: 'inconclusive', drifted: [], features: [] }, slo: { unavailable: 'metrics source unreachable' } }), 1, 'x');
    expect({ psi: p.maxFeaturePsi, slo: p.slo }).toEqual({ psi: null, slo: { unavailable: 'metrics source unreachable' } });
  });
});
