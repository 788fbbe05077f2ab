import { analyzeRollout } from '../../../src/domain/analysis/analyze-rollout';
import { SloSpecSchema } from '../../../src/domain/spec';
import { buildSummary, noisyLatencies, scoresFrom, seeded } from './summary-builder';

const slo = SloSpecSchema.parse({});

function healthy(version: string, n: number, seed: number, errorRate = 0.005) {
  const rand = seeded(seed);
  return buildSummary({ version, latencies: noisyLatencies(n, 20, rand), errors: Math.round(n * errorRate), scores: scoresFrom(n, rand) });
}

const check = (r: ReturnType<typeof analyzeRollout>, name: string) => r.checks.find((c) => c.name === name);

describe('analyzeRollout', () => {
  it('passes a healthy candidate whose noisy metrics match the baseline', () => {
    const r = analyzeRollout({ candidate: healthy('cand', 400, 1), baseline: healthy('stable', 4000, 2), slo, mode: 'canary' });
    expect(r.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['candidate-samples', 'pass'],
      ['baseline-samples', 'pass'],
      ['error-rate', 'pass'],
      ['error-rate-increase', 'pass'],
      ['p99-latency', 'pass'],
      ['p99-latency-ratio', 'pass'],
      ['prediction-psi', 'pass'],
    ]);
    expect(r.verdict).toBe('pass');
    expect(r.reasons).toEqual([]);
  });

  it('passes healthy canaries across many random seeds (no false rollbacks from noise)', () => {
    const verdicts = Array.from({ length: 40 }, (_, s) => analyzeRollout({ candidate: healthy('c', 150, 100 + s), baseline: healthy('s', 2850, 500 + s), slo, mode: 'canary' }).verdict);
    expect(verdicts.filter((v) => v !== 'pass')).toEqual([]);
  });

  it('fails a clear latency regression on both the absolute and the relative p99 check', () => {
    const rand = seeded(3);
    const slow = buildSummary({ version: 'cand', latencies: noisyLatencies(300, 300, rand), errors: 1, scores: scoresFrom(300, rand) });
    const r = analyzeRollout({ candidate: slow, baseline: healthy('stable', 3000, 4), slo, mode: 'canary' });
    expect(r.verdict).toBe('fail');
    expect(check(r, 'p99-latency')?.verdict).toBe('fail');
    expect(check(r, 'p99-latency-ratio')?.verdict).toBe('fail');
    expect(r.reasons.join(' ')).toMatch(/p99/);
  });

  it('fails a clear error regression with a significant increase over the baseline', () => {
    const r = analyzeRollout({ candidate: healthy('cand', 500, 5, 0.08), baseline: healthy('stable', 5000, 6), slo, mode: 'canary' });
    expect(r.verdict).toBe('fail');
    expect(check(r, 'error-rate')?.verdict).toBe('fail');
    expect(check(r, 'error-rate-increase')?.verdict).toBe('fail');
    expect(check(r, 'error-rate-increase')?.observed).toBeCloseTo(0.08 - 0.005, 3);
  });

  it('is inconclusive, never pass or fail, when the candidate has fewer than minSamples requests', () => {
    const rand = seeded(7);
    const awful = buildSummary({ version: 'cand', latencies: noisyLatencies(20, 900, rand), errors: 20, scores: [] });
    const r = analyzeRollout({ candidate: awful, baseline: healthy('stable', 3000, 8), slo, mode: 'canary' });
    expect(r.verdict).toBe('inconclusive');
    expect(r.reasons[0]).toMatch(/only 20 of the 100 requests/);
  });

  it('passes when a few slow outliers push the candidate p99 over the limit without significance', () => {
    const rand = seeded(9);
    const lat = noisyLatencies(500, 20, rand);
    for (let i = 0; i < 6; i++) lat[i * 80] = 400; // 1.2% of requests at 400 ms
    const cand = buildSummary({ version: 'cand', latencies: lat, errors: 2, scores: scoresFrom(500, rand) });
    expect(cand.latencyMs.p99).toBeGreaterThan(slo.maxP99LatencyMs);
    const r = analyzeRollout({ candidate: cand, baseline: healthy('stable', 5000, 10), slo, mode: 'canary' });
    expect(check(r, 'p99-latency')?.verdict).toBe('pass');
    expect(check(r, 'p99-latency-ratio')?.verdict).toBe('pass');
    expect(r.verdict).toBe('pass');
  });

  it('passes a small canary with a few extra errors because the increase is not significant', () => {
    const rand = seeded(11);
    const cand = buildSummary({ version: 'cand', latencies: noisyLatencies(150, 20, rand), errors: 4, scores: scoresFrom(150, rand) });
    const r = analyzeRollout({ candidate: cand, baseline: healthy('stable', 2000, 12), slo, mode: 'canary' });
    expect(check(r, 'error-rate')?.observed).toBeGreaterThan(slo.maxErrorRate);
    expect(check(r, 'error-rate-increase')?.observed).toBeGreaterThan(slo.maxErrorRateIncrease);
    expect(r.verdict).toBe('pass');
  });

  it('is inconclusive with a reason when the candidate or the baseline has no metrics', () => {
    const noCandidate = analyzeRollout({ candidate: undefined, baseline: healthy('stable', 1000, 13), slo, mode: 'canary' });
    expect(noCandidate.verdict).toBe('inconclusive');
    expect(noCandidate.reasons).toEqual(['candidate-samples: no metrics for this version in the window']);
    const noBaseline = analyzeRollout({ candidate: healthy('cand', 1000, 14), baseline: null, slo, mode: 'canary' });
    expect(noBaseline.verdict).toBe('inconclusive');
    expect(noBaseline.reasons).toEqual(['baseline-samples: no metrics for this version in the window']);
  });

  it('judges prediction drift at every poll: a shifted score distribution fails mid-bake, not at its end', () => {
    const rand = seeded(16);
    const drifted = buildSummary({ version: 'cand', latencies: noisyLatencies(300, 20, rand), errors: 1, scores: scoresFrom(300, rand, 0.35) });
    const midBake = analyzeRollout({ candidate: drifted, baseline: healthy('stable', 900, 17), slo, mode: 'canary' });
    expect(check(midBake, 'prediction-psi')?.verdict).toBe('fail');
    expect(midBake.verdict).toBe('fail');
  });

  it("reports each check's e-value and the share of slo.alpha it spends, which add up to slo.alpha over a default rollout", () => {
    const r = analyzeRollout({ candidate: healthy('cand', 400, 1), baseline: healthy('stable', 4000, 2), slo, mode: 'canary' });
    const judged = r.checks.filter((c) => c.alpha !== undefined);
    expect(judged.map((c) => c.name)).toEqual(['error-rate', 'error-rate-increase', 'p99-latency', 'p99-latency-ratio', 'prediction-psi']);
    // 5 watches (steps 5, 25, 50, 100 and the post-promotion watch) x 5 checks share alpha 0.01.
    for (const c of judged) expect(c.alpha).toBeCloseTo(slo.alpha / 25, 12);
    expect(check(r, 'error-rate')?.eValue).toBeLessThan(1 / (slo.alpha / 25));
  });

  it('checks only absolute limits when there is no baseline to compare with', () => {
    const r = analyzeRollout({ candidate: healthy('cand', 1000, 15), baseline: null, slo, mode: 'canary', compareWithBaseline: false });
    expect(r.verdict).toBe('pass');
    expect(r.checks.map((c) => c.name)).toEqual(['candidate-samples', 'error-rate', 'p99-latency']);
  });

  it('fails when the candidate prediction scores drift from the baseline (PSI over the limit)', () => {
    const rand = seeded(16);
    const drifted = buildSummary({ version: 'cand', latencies: noisyLatencies(1000, 20, rand), errors: 3, scores: scoresFrom(1000, rand, 0.35) });
    const r = analyzeRollout({ candidate: drifted, baseline: healthy('stable', 3000, 17), slo, mode: 'canary' });
    expect(check(r, 'prediction-psi')?.verdict).toBe('fail');
    expect(check(r, 'prediction-psi')?.observed).toBeGreaterThan(slo.maxPredictionPsi);
    expect(r.verdict).toBe('fail');
  });

  it('fails a shadow candidate that disagrees with stable far below minAgreement', () => {
    const rand = seeded(18);
    const cand = buildSummary({ version: 'cand', latencies: noisyLatencies(1000, 20, rand), errors: 0, scores: scoresFrom(1000, rand), shadow: { compared: 1000, agreed: 700 } });
    const r = analyzeRollout({ candidate: cand, baseline: healthy('stable', 1000, 19), slo, mode: 'shadow' });
    expect(check(r, 'shadow-agreement')).toMatchObject({ verdict: 'fail', observed: 0.7, limit: 0.9 });
    expect(r.verdict).toBe('fail');
  });

  it('passes a shadow candidate that agrees with stable on almost every prediction', () => {
    const rand = seeded(20);
    const cand = buildSummary({ version: 'cand', latencies: noisyLatencies(1000, 20, rand), errors: 0, scores: scoresFrom(1000, rand), shadow: { compared: 1000, agreed: 985 } });
    const r = analyzeRollout({ candidate: cand, baseline: healthy('stable', 1000, 21), slo, mode: 'shadow' });
    expect(check(r, 'shadow-agreement')?.verdict).toBe('pass');
    expect(r.verdict).toBe('pass');
  });

  it('is inconclusive in shadow mode until enough predictions were compared', () => {
    const rand = seeded(22);
    const cand = buildSummary({ version: 'cand', latencies: noisyLatencies(300, 20, rand), errors: 0, scores: scoresFrom(300, rand), shadow: { compared: 40, agreed: 40 } });
    const r = analyzeRollout({ candidate: cand, baseline: healthy('stable', 300, 23), slo, mode: 'shadow' });
    expect(r.verdict).toBe('inconclusive');
    expect(r.reasons[0]).toMatch(/only 40 of the 100 compared/);
  });
});

describe('analyzeRollout latency ratio', () => {
  it('passes when host stalls hit the candidate and the baseline at the same rate', () => {
    const rand = seeded(30);
    const withSpikes = (n: number) => {
      const lat = noisyLatencies(n, 2, rand);
      for (let i = 0; i < n; i += 25) lat[i] = 40; // 4% of requests stall on a loaded host, on both sides
      return lat;
    };
    const cand = buildSummary({ version: 'cand', latencies: withSpikes(400), errors: 0, scores: scoresFrom(400, rand) });
    const base = buildSummary({ version: 'stable', latencies: withSpikes(4000), errors: 0, scores: scoresFrom(4000, rand) });
    const r = analyzeRollout({ candidate: cand, baseline: base, slo, mode: 'canary' });
    expect(check(r, 'p99-latency-ratio')?.verdict).toBe('pass');
    expect(r.verdict).toBe('pass');
  });
});
