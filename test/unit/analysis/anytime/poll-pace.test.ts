/**
 * The watch's pace: slow while every e-value is low, fast once one is a quarter of the way (log
 * scale) to its threshold. The simulations check the claims in `poll-pace.ts`: by Ville's
 * inequality at most alpha_check^1/4 of healthy trials EVER speed up on one check, a healthy canary
 * judged by the whole analysis spends no polls at the fast pace, and a real regression speeds the
 * watch up well before it fails.
 */
import { analyzeRollout } from '../../../../src/domain/analysis/analyze-rollout';
import { FAST_POLL_MS, leaningToAlarm, nextPollMs } from '../../../../src/domain/analysis/poll-pace';
import type { AnalysisResult, CheckResult } from '../../../../src/domain/analysis/verdict';
import { judgeErrorRate } from '../../../../src/domain/analysis/error-checks';
import { SloSpecSchema } from '../../../../src/domain/spec';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../../../src/domain/stats/histogram';
import { mulberry32 } from '../../../../src/domain/data/prng';
import { emptySummary, lognormal, refreshP99, simulateOneArm } from './simulate';

const PACE = { pollMs: 250, fastPollMs: FAST_POLL_MS };
/** alpha 1/1296: threshold 1296, a quarter of the way on the log scale is 1296^1/4 = 6. */
const A = 1 / 1296;

function check(eValue: number | undefined, alpha: number | undefined): CheckResult {
  return { name: 'error-rate', verdict: 'pass', observed: 0, limit: 0.02, detail: '', ...(eValue === undefined ? {} : { eValue }), ...(alpha === undefined ? {} : { alpha }) };
}
const analysis = (verdict: AnalysisResult['verdict'], checks: CheckResult[]): AnalysisResult => ({ verdict, checks, reasons: [] });

const bucketOf = (ms: number) => {
  const i = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : i;
};

/**
 * One canary at a 50/50 split, judged by the whole analysis every 10 requests (a poll): 200 healthy
 * requests, then the fault, if any. Returns the request counts at the first fast pace and at the fail.
 */
function canary(fault: 'none' | 'errors' | 'latency', seed: number): { fastAt: number | null; failAt: number | null; polls: number; fastPolls: number } {
  const slo = SloSpecSchema.parse({});
  const rand = mulberry32(seed);
  const c = emptySummary('cand');
  const b = emptySummary('base');
  const out = { fastAt: null as number | null, failAt: null as number | null, polls: 0, fastPolls: 0 };
  for (let i = 1; i <= 1200 && out.failAt === null; i++) {
    const arm = rand() < 0.5 ? c : b;
    const faulty = arm === c && i > 200;
    arm.requests++;
    if (faulty && fault === 'errors' && rand() < 0.5) arm.errors++;
    arm.latencyMs.histogram[bucketOf(faulty && fault === 'latency' ? 300 : lognormal(rand, 1))]++;
    refreshP99(arm);
    if (i % 10 !== 0 || c.requests === 0 || b.requests === 0) continue;
    const a = analyzeRollout({ candidate: c, baseline: b, slo, mode: 'canary', compareWithBaseline: true, watches: 5 });
    out.polls++;
    if (a.verdict === 'fail') out.failAt = i;
    else if (nextPollMs(a, PACE, 0) === FAST_POLL_MS) {
      out.fastPolls++;
      out.fastAt ??= i;
    }
  }
  return out;
}

describe('the watch poll pace', () => {
  it('keeps the slow interval while every e-value is below a quarter of the way to its threshold', () => {
    expect(nextPollMs(analysis('pass', [check(5.99, A), check(1, A)]), PACE, 0)).toBe(250);
  });

  it('switches to the fast interval once one check leans to failing, whether the verdict is pass or inconclusive', () => {
    expect(leaningToAlarm(check(6, A))).toBe(true);
    expect(nextPollMs(analysis('pass', [check(1, A), check(6, A)]), PACE, 0)).toBe(FAST_POLL_MS);
    expect(nextPollMs(analysis('inconclusive', [check(500, A)]), PACE, 0)).toBe(FAST_POLL_MS);
  });

  it('ignores checks without an e-value or an alpha share, and never polls slower than pollMs', () => {
    expect(nextPollMs(analysis('inconclusive', [check(undefined, A), check(1e9, undefined)]), PACE, 0)).toBe(250);
    expect(nextPollMs(analysis('pass', [check(1e9, A)]), { pollMs: 30, fastPollMs: 50 }, 0)).toBe(30);
  });

  it('does not speed up on an error verdict (the metrics back-off decides that pause)', () => {
    expect(nextPollMs(analysis('error', [check(1e9, A)]), PACE, 0)).toBe(250);
  });

  it('keeps the slow polls on their grid since the step began, however long the poll took', () => {
    expect(nextPollMs(analysis('pass', [check(1, A)]), PACE, 1030)).toBe(220);
    expect(nextPollMs(analysis('pass', [check(1, A)]), PACE, 1000)).toBe(250);
    // A fast poll never waits past the next grid point.
    expect(nextPollMs(analysis('pass', [check(1e9, A)]), PACE, 1230)).toBe(20);
  });

  it('speeds up on at most alpha^1/4 of candidates whose error rate sits at the limit, judged after every request', () => {
    // One check under its least favourable null: 1000 seeded trials of 300 requests.
    const slo = SloSpecSchema.parse({});
    const r = simulateOneArm({
      trials: 1000, horizon: 300, seed: 11,
      observe: (c, rand) => {
        c.requests++;
        if (rand() < slo.maxErrorRate) c.errors++;
      },
      judge: (c) => judgeErrorRate({ candidate: c, slo, alphaCheck: A }).e >= A ** -0.25,
    });
    expect(r.rate).toBeLessThanOrEqual(A ** 0.25);
  });

  it('keeps a healthy canary at the slow pace on every poll', () => {
    const runs = Array.from({ length: 40 }, (_, s) => canary('none', 100 + s));
    expect(runs.filter((r) => r.failAt !== null)).toHaveLength(0);
    expect(runs.reduce((n, r) => n + r.fastPolls, 0)).toBe(0);
  });

  it.each([['a 50% error', 'errors'], ['a 300 ms latency', 'latency']] as const)('speeds up on a canary with %s fault well before the analysis fails it', (_, fault) => {
    const runs = Array.from({ length: 40 }, (_, s) => canary(fault, 200 + s));
    expect(runs.every((r) => r.failAt !== null)).toBe(true);
    const leads = runs.map((r) => (r.fastAt === null ? 0 : r.failAt! - r.fastAt)).sort((x, y) => x - y);
    // At least one poll (10 requests) of lead in most runs; the median lead is printed for the note.
    console.log(`${fault}: requests from the fast pace to the fail, median ${leads[20]}, min ${leads[0]}, max ${leads[39]}`);
    expect(leads.filter((n) => n >= 10).length).toBeGreaterThanOrEqual(36);
  });
});
