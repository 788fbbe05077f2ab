import { monitorSettings } from '../../../src/domain/monitor/monitor-spec';
import { parseModelSpec } from '../../../src/domain/spec';

const base = { id: 'credit', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'iris' }, label: 'y', features: ['a'] } };

describe('monitor section of the model spec', () => {
  it('fills every default when the spec has no monitor section', () => {
    expect(monitorSettings(undefined)).toMatchObject({ period: '1m', periodsPerRun: 100, breachesToAlert: 3, rearmAfterStable: 5, retrainOnDrift: true, drift: { maxPsi: 0.2, alpha: 0.01, minSamples: 100 } });
  });

  it('rejects a bad monitor field by its path and leaves valid specs without one unchanged', () => {
    const bad = parseModelSpec({ ...base, monitor: { period: 'soon', breachesToAlert: 0 } });
    expect(bad.ok).toBe(false);
    const problems = bad.ok ? [] : bad.problems;
    expect(problems.some((p) => p.startsWith('monitor.period:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('monitor.breachesToAlert:'))).toBe(true);
    const ok = parseModelSpec(base);
    expect(ok.ok && ok.spec.monitor).toBeUndefined();
  });
});
