/**
 * The production guard's decision (pure): debounce over consecutive breached periods, inconclusive
 * below the sample floor, one action per champion, alert-only on policy or when the restored version
 * breaches within the guard window; and a seeded simulation pinning the false-alarm rate on healthy
 * traffic.
 */
import { mulberry32 } from '../../../src/domain/data/prng';
import { guardStep, initialGuard, NOT_THE_MODEL, sloVerdict, type GuardSettings, type GuardState, type SloVerdict } from '../../../src/domain/monitor/slo-guard';

const S: GuardSettings = { onSloBreach: 'rollback', sloBreachesToAct: 2, guardWindowMs: 60_000 };

function run(verdicts: SloVerdict[], settings = S, start: GuardState = initialGuard(), champion = 'art-a', t0 = 0) {
  let state = start;
  const actions: string[] = [];
  verdicts.forEach((v, i) => {
    const r = guardStep(state, champion, v, settings, t0 + i * 1000);
    state = r.state;
    actions.push(r.action.kind);
  });
  return { state, actions };
}

describe('the SLO guard', () => {
  it('judges a period below the sample floor, or with metrics unavailable, inconclusive and never a breach', () => {
    expect(sloVerdict({ requests: 10, breaches: ['p99 900 ms > 250 ms'] }, 30)).toBe('inconclusive');
    expect(sloVerdict({ requests: 0, breaches: [] }, 30)).toBe('inconclusive');
    expect(sloVerdict({ unavailable: 'gateway down' }, 30)).toBe('inconclusive');
    expect(sloVerdict({ requests: 30, breaches: ['error rate 0.3 > 0.02'] }, 30)).toBe('breach');
    expect(sloVerdict({ requests: 300, breaches: [] }, 30)).toBe('ok');
  });

  it('rolls back only after sloBreachesToAct consecutive breached periods; a healthy period resets the count', () => {
    expect(run(['breach', 'ok', 'breach', 'ok']).actions).toEqual(['none', 'none', 'none', 'none']);
    expect(run(['breach', 'breach']).actions).toEqual(['none', 'rollback']);
  });

  it('lets inconclusive periods neither count nor reset a breach streak', () => {
    expect(run(['breach', 'inconclusive', 'inconclusive', 'breach']).actions).toEqual(['none', 'none', 'none', 'rollback']);
    expect(run(['inconclusive', 'inconclusive', 'inconclusive']).actions).toEqual(['none', 'none', 'none']);
  });

  it('acts at most once per champion, and again for a new champion', () => {
    const first = run(['breach', 'breach', 'breach', 'breach']);
    expect(first.actions).toEqual(['none', 'rollback', 'none', 'none']);
    expect(run(['breach', 'breach'], S, first.state, 'art-b').actions).toEqual(['none', 'rollback']);
  });

  it('only alerts when the policy says alert', () => {
    const r = guardStep({ ...initialGuard(), champion: 'art-a', breaches: 1 }, 'art-a', 'breach', { ...S, onSloBreach: 'alert' }, 0);
    expect(r.action).toEqual({ kind: 'alert', why: 'policy monitor.onSloBreach is alert' });
  });

  it('only alerts, saying the fault is probably not the model, when the restored version breaches within the guard window', () => {
    const restored: GuardState = { champion: 'art-b', breaches: 0, acted: true, restored: { artifact: 'art-a', from: 'art-b', atMs: 0 } };
    expect(run(['breach', 'breach'], S, restored, 'art-a', 1000).actions).toEqual(['none', 'alert']);
    expect(guardStep({ ...restored, champion: 'art-a', acted: false, breaches: 1 }, 'art-a', 'breach', S, 5000).action).toEqual({ kind: 'alert', why: NOT_THE_MODEL });
    // Outside the window the restored version is judged like any champion.
    expect(run(['breach', 'breach'], S, restored, 'art-a', 120_000).actions).toEqual(['none', 'rollback']);
  });

  describe('false alarms on a healthy champion (seeded simulation)', () => {
    // 200 requests a period; latency log-normal around 20 ms (true p99 about 60 ms, limit 250 ms),
    // 0.5 % errors (limit 2 %), the creditSpec floor of 30 requests. The per-period breach rate is
    // what a single-period rule would alarm on; the debounce must turn it into no action at all.
    function simulate(seed: number, errorRate: number, toAct: number, PERIODS: number) {
      const rand = mulberry32(seed);
      const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      let state = initialGuard();
      let breachedPeriods = 0;
      let actions = 0;
      for (let p = 0; p < PERIODS; p++) {
        const n = 200;
        const lat = Array.from({ length: n }, () => 20 * Math.exp(0.47 * normal())).sort((a, b) => a - b);
        const errors = Array.from({ length: n }, () => rand() < errorRate).filter(Boolean).length;
        const p99 = lat[Math.ceil(0.99 * n) - 1];
        const breaches = [...(p99 > 250 ? ['p99'] : []), ...(errors / n > 0.02 ? ['errors'] : [])];
        const v = sloVerdict({ requests: n, breaches }, 30);
        if (v === 'breach') breachedPeriods++;
        const r = guardStep(state, 'art-a', v, { ...S, sloBreachesToAct: toAct }, p * 1000);
        state = r.state.acted ? { ...r.state, acted: false, breaches: 0 } : r.state; // count every action, not just the first
        if (r.action.kind !== 'none') actions++;
      }
      return { breachedPeriods, actions };
    }

    it('keeps false alarms at or below 1 in 10,000 healthy periods with the default debounce of 2 (measured: 1 in 20,000)', () => {
      const r = simulate(20261129, 0.005, 2, 20_000);
      expect(r.actions).toBeLessThanOrEqual(2);
      // A 100-period healthy stretch (what bench/guard and the integration test watch) sees none.
      expect(simulate(1, 0.005, 2, 100).actions).toBe(0);
    });

    it('shows why the debounce is there: error rates near the limit breach single periods, yet two in a row stay rare', () => {
      // 1 % true errors against a 2 % limit: a single-period rule alarms on a few percent of periods.
      const PERIODS = 5000;
      const single = simulate(7, 0.01, 1, PERIODS);
      const debounced = simulate(7, 0.01, 2, PERIODS);
      expect(single.breachedPeriods / PERIODS).toBeGreaterThan(0.01);
      expect(single.actions).toBe(single.breachedPeriods);
      expect(debounced.actions / PERIODS).toBeLessThan(single.actions / PERIODS / 10);
    });
  });
});
