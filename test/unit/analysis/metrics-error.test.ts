/** "Could not measure" is its own verdict: never folded into inconclusive (thin traffic) or fail (a breach). */
import { combineChecks, type CheckResult } from '../../../src/domain/analysis/verdict';
import { errorLimitPassed, metricsErrorAnalysis, metricsErrorReason, nextErrorStreak, noErrors } from '../../../src/domain/analysis/metrics-error';
import { SloSpecSchema } from '../../../src/domain/spec';

const check = (name: string, verdict: CheckResult['verdict']): CheckResult => ({ name, verdict, observed: null, limit: 0, detail: `${name} is ${verdict}` });

describe('metrics-error analysis', () => {
  it('gives an error verdict, not inconclusive, for a metrics source that cannot be read', () => {
    const r = metricsErrorAnalysis('gateway metrics unreachable');
    expect(r.verdict).toBe('error');
    expect(r.checks).toEqual([expect.objectContaining({ name: 'metrics-source', verdict: 'error' })]);
    expect(r.reasons).toEqual(['metrics unavailable: gateway metrics unreachable']);
  });

  it('keeps error, inconclusive and fail apart when checks are combined: a breach outweighs an error, an error outweighs thin traffic', () => {
    expect(combineChecks([check('a', 'pass'), check('b', 'error'), check('c', 'fail')])).toMatchObject({ verdict: 'fail', reasons: ['c is fail'] });
    expect(combineChecks([check('a', 'inconclusive'), check('b', 'error')])).toMatchObject({ verdict: 'error', reasons: ['b is error'] });
    expect(combineChecks([check('a', 'pass'), check('b', 'inconclusive')])).toMatchObject({ verdict: 'inconclusive', reasons: ['b is inconclusive'] });
    expect(combineChecks([check('a', 'pass')])).toMatchObject({ verdict: 'pass', reasons: [] });
  });

  it('counts failed measurements in a row and resets the count on any measurement that worked', () => {
    let s = noErrors();
    for (const v of ['error', 'error', 'inconclusive', 'error'] as const) s = nextErrorStreak(s, v);
    expect(s).toEqual({ consecutive: 1, total: 3 });
    s = nextErrorStreak(s, 'error');
    expect(s).toEqual({ consecutive: 2, total: 4 });
  });

  it('passes the limit only with more errors in a row than consecutiveErrorLimit tolerates', () => {
    expect(errorLimitPassed({ consecutive: 4, total: 4 }, 4)).toBe(false);
    expect(errorLimitPassed({ consecutive: 5, total: 9 }, 4)).toBe(true);
    // A limit of 0 tolerates nothing: the first error ends the watch.
    expect(errorLimitPassed({ consecutive: 1, total: 1 }, 0)).toBe(true);
  });

  it('gives a reason naming the source error, the errors in a row and the limit', () => {
    expect(metricsErrorReason(metricsErrorAnalysis('timeout'), { consecutive: 5, total: 7 }, 4)).toBe('metrics unavailable: timeout (5 failed measurements in a row, limit 4)');
  });

  it('defaults to holding for a human after more than 4 errors in a row, backing off 5s between measurements', () => {
    expect(SloSpecSchema.parse({})).toMatchObject({ onMetricsError: 'hold', consecutiveErrorLimit: 4, metricsErrorInterval: '5s', onInconclusive: 'rollback' });
  });

  it('rejects a negative consecutiveErrorLimit and an unknown onMetricsError, naming the field', () => {
    const bad = SloSpecSchema.safeParse({ consecutiveErrorLimit: -1, onMetricsError: 'ignore' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['consecutiveErrorLimit', 'onMetricsError']);
  });
});
