/**
 * Why detection can take a poll longer than before #15, without timing anything: for the two
 * benchmark faults, the fewest post-fault candidate requests each analysis of `paired-run.ts` needs
 * before it fails, on exact synthetic windows: a healthy prefix of n0 candidate requests, then m
 * faulty ones (every other one an error, or every one 300 ms slower); the baseline has n0 + m
 * healthy requests; a healthy request takes 1 ms (the figures are the same for 0.1 ms or 2 ms). At 200 requests/s and a 50% canary the candidate gets
 * about 100 requests a second, so each 10 requests is about 100 ms, against a 250 ms poll.
 *
 *   node --import tsx bench/rollback/requests-needed.ts
 */
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_BINS, histogramQuantile, latencyBucket } from '../../src/domain/stats/histogram';
import type { VersionSummary } from '../../src/domain/analysis/window-summary';
import { benchSpec } from './spec';
import { pairedAnalyzers } from './paired-run';

function summary(ok: number, errors: number, fastMs: number, slow: number): VersionSummary {
  const h = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
  h[latencyBucket(fastMs)] += ok + errors - slow;
  h[latencyBucket(300 + fastMs)] += slow;
  const scores = new Array<number>(SCORE_BINS).fill(0);
  scores[3] = ok;
  const q = (p: number) => histogramQuantile(h, p);
  return { version: 'v', requests: ok + errors, errors, latencyMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99), mean: fastMs, histogram: h }, scoreHistogram: scores, meanConfidence: 0.5 };
}

const FAULTS = {
  error: (n0: number, m: number, fastMs: number) => summary(n0 + m - Math.floor(m / 2), Math.floor(m / 2), fastMs, 0),
  latency: (n0: number, m: number, fastMs: number) => summary(n0 + m, 0, fastMs, m),
};

const slo = benchSpec('x').slo;
// The paced analysis judges the same data as `anytime`; only when it looks differs.
const analyzers = pairedAnalyzers().filter((a) => a.pollMs === 250 && a.fastPollMs === undefined);
const rows: Array<Record<string, unknown>> = [];
for (const [fault, candidate] of Object.entries(FAULTS)) {
  for (const n0 of [100, 150, 200]) {
    const row: Record<string, unknown> = { fault, healthyCandidateRequests: n0 };
    for (const a of analyzers) {
      let m = 1;
      while (m < 1000 && !a.judge(candidate(n0, m, 1), summary(n0 + m, 0, 1, 0), slo).failed) m++;
      row[`${a.name} needs`] = m;
    }
    rows.push(row);
  }
}
console.table(rows);
