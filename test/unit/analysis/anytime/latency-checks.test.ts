/**
 * The latency checks under continuous monitoring: judged after every request, 2000 seeded trials
 * for each false-alarm figure. The absolute check's least favourable null is a candidate with
 * exactly 1% of requests over the limit; the ratio check's is two arms with the same latency
 * distribution and a ratio limit of 1 (no tolerance, no floor). Power is measured at the level a
 * default rollout gives each check (0.0004).
 */
import { judgeP99, judgeP99Ratio } from '../../../../src/domain/analysis/latency-checks';
import { alphaPerCheck } from '../../../../src/domain/analysis/alpha-budget';
import { latencyBucket } from '../../../../src/domain/stats/histogram';
import type { VersionSummary } from '../../../../src/domain/analysis/window-summary';
import { SloSpecSchema } from '../../../../src/domain/spec';
import { emptySummary, lognormal, refreshP99, simulate, simulateOneArm, table, type SimulationResult } from './simulate';

const TRIALS = 2000;
const POWER_TRIALS = 200;
const ALPHA = 0.05;
const PRODUCTION = alphaPerCheck({ alpha: 0.01, watches: 5, compareWithBaseline: true, mode: 'canary' });
const figures: Array<[string, SimulationResult]> = [];

function record(s: VersionSummary, ms: number): void {
  s.requests++;
  s.latencyMs.histogram[latencyBucket(ms)]++;
}

/** Absolute check against a 250 ms limit: each request is over it (400 ms, past the 25% histogram bucket that holds 250) with probability `tail`, else about 20 ms. */
function absolute(tail: number, alphaCheck: number, seed: number, trials: number, horizon: number): SimulationResult {
  const slo = SloSpecSchema.parse({});
  return simulateOneArm({
    trials, horizon, seed,
    observe: (c, rand) => {
      record(c, rand() < tail ? 400 : lognormal(rand, 20));
      refreshP99(c);
    },
    judge: (c) => judgeP99({ candidate: c, slo, alphaCheck }).breach,
  });
}

/** Ratio check, 50% canary: the candidate's latency is the baseline's times `slowdown`, plus `addMs`. */
function ratio(opts: { slowdown: number; addMs?: number; maxLatencyRatio: number; floorMs?: number; alphaCheck: number; seed: number; trials: number; horizon: number }): SimulationResult {
  const slo = SloSpecSchema.parse({ maxLatencyRatio: opts.maxLatencyRatio });
  return simulate({
    trials: opts.trials, horizon: opts.horizon, seed: opts.seed,
    trial: (rand) => {
      const c = emptySummary('cand');
      const b = emptySummary('base');
      return () => {
        const toCandidate = rand() < 0.5;
        const base = lognormal(rand, 20, 0.6);
        record(toCandidate ? c : b, toCandidate ? base * opts.slowdown + (opts.addMs ?? 0) : base);
        if (c.requests === 0 || b.requests === 0) return false;
        refreshP99(toCandidate ? c : b);
        return judgeP99Ratio({ candidate: c, baseline: b, slo, alphaCheck: opts.alphaCheck, floorMs: opts.floorMs ?? 0 }).breach;
      };
    },
  });
}

afterAll(() => console.log(table('latency checks, judged after every request', figures)));

describe('latency checks under continuous monitoring', () => {
  it('fail at most alpha of candidates with exactly 1% of requests over the p99 limit', () => {
    const r = absolute(0.01, ALPHA, 11, TRIALS, 300);
    figures.push([`p99-latency, 1% over the limit, alpha ${ALPHA} (300 requests)`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('fail at most alpha of candidates as fast as the baseline, even with no tolerance and no floor', () => {
    const r = ratio({ slowdown: 1, maxLatencyRatio: 1, alphaCheck: ALPHA, seed: 12, trials: TRIALS, horizon: 200 });
    figures.push([`p99-latency-ratio, same latency, ratio limit 1, alpha ${ALPHA} (200 requests)`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('detect a candidate with 5% of requests over the limit within 2000 requests', () => {
    const r = absolute(0.05, PRODUCTION, 13, POWER_TRIALS, 2000);
    figures.push([`p99-latency, 5% over the limit, alpha ${PRODUCTION} (${POWER_TRIALS} trials)`, r]);
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
  });

  it('detect every request over the limit (the benchmark fault) within ten requests', () => {
    const r = absolute(1, PRODUCTION, 14, POWER_TRIALS, 200);
    figures.push([`p99-latency, every request 400 ms, alpha ${PRODUCTION}`, r]);
    expect(r.rate).toBe(1);
    expect(r.median).toBeLessThanOrEqual(10);
  });

  it('fail at most alpha of candidates as fast as the baseline against the default 1.5x limit and 5 ms floor', () => {
    const r = ratio({ slowdown: 1, maxLatencyRatio: 1.5, floorMs: 5, alphaCheck: ALPHA, seed: 16, trials: TRIALS, horizon: 400 });
    figures.push([`p99-latency-ratio, same latency, limit 1.5x, floor 5 ms, alpha ${ALPHA} (400 requests)`, r]);
    expect(r.rate).toBeLessThanOrEqual(ALPHA);
  });

  it('detect every candidate three times slower than the baseline against the default 1.5x limit within 2000 requests', () => {
    const r = ratio({ slowdown: 3, maxLatencyRatio: 1.5, floorMs: 5, alphaCheck: PRODUCTION, seed: 15, trials: POWER_TRIALS, horizon: 2000 });
    figures.push([`p99-latency-ratio, candidate 3x slower, limit 1.5x, alpha ${PRODUCTION} (${POWER_TRIALS} trials, 50% canary)`, r]);
    expect(r.rate).toBe(1);
  });

  it('detect a +300 ms candidate (the integration fault, under the absolute limit) within 100 requests at a 50% canary', () => {
    const r = ratio({ slowdown: 1, addMs: 300, maxLatencyRatio: 1.5, floorMs: 5, alphaCheck: PRODUCTION, seed: 17, trials: POWER_TRIALS, horizon: 100 });
    figures.push([`p99-latency-ratio, candidate +300 ms, limit 1.5x, alpha ${PRODUCTION} (${POWER_TRIALS} trials, 50% canary)`, r]);
    expect(r.rate).toBe(1);
  });
});
