/**
 * What-if replays as a pure function over recorded evidence (synthetic traces here; the
 * integration test replays real recorded releases through the CLI).
 */
import { emptyTrace, MAX_TRACE_POINTS, packSummary, recordPoll, unpackSummary } from '../../../src/domain/analysis/evidence-trace';
import { whatIf, WhatIfPolicySchema, type RecordedWatch } from '../../../src/domain/analysis/what-if';
import { SloSpecSchema } from '../../../src/domain/spec';
import { latencyBucket } from '../../../src/domain/stats/histogram';
import { emptySummary, refreshP99 } from './anytime/simulate';

const slo = SloSpecSchema.parse({ minSamples: 30, maxP99LatencyMs: 500 });

/** A step whose two versions both answer in `candidateMs` / `baselineMs`, recorded every `per` requests each. */
function step(label: string, opts: { candidateMs: number; baselineMs: number | null; polls: number; per: number; verdict: RecordedWatch['verdict'] }): RecordedWatch {
  const c = emptySummary('cand');
  const b = emptySummary('base');
  const trace = emptyTrace();
  for (let p = 1; p <= opts.polls; p++) {
    for (let i = 0; i < opts.per; i++) {
      c.requests++;
      c.latencyMs.histogram[latencyBucket(opts.candidateMs)]++;
      c.scoreHistogram[i % 10]++;
      if (opts.baselineMs !== null) {
        b.requests++;
        b.latencyMs.histogram[latencyBucket(opts.baselineMs)]++;
        b.scoreHistogram[i % 10]++;
      }
    }
    refreshP99(c);
    refreshP99(b);
    recordPoll(trace, p * 250, c, opts.baselineMs === null ? undefined : b);
  }
  return { label, candidateVersion: 'cand', stableVersion: opts.baselineMs === null ? null : 'base', mode: 'canary', slo, watches: 3, verdict: opts.verdict, reason: 'recorded', trace };
}

describe('what-if replays', () => {
  it('packs a summary and unpacks the same counts, histogram and p99', () => {
    const s = emptySummary('v');
    s.requests = 5;
    s.errors = 1;
    s.latencyMs.histogram[3] = 2;
    s.latencyMs.histogram[40] = 3;
    s.latencyMs.p99 = 12.5;
    s.shadow = { compared: 4, agreed: 3 };
    const back = unpackSummary(packSummary(s), 'v');
    expect(back).toMatchObject({ requests: 5, errors: 1, latencyMs: { p99: 12.5, histogram: s.latencyMs.histogram }, scoreHistogram: s.scoreHistogram, shadow: { compared: 4, agreed: 3 } });
  });

  it('keeps at most MAX_TRACE_POINTS points over a long bake, the whole span and the newest poll', () => {
    const trace = emptyTrace();
    const s = emptySummary('v');
    for (let t = 1; t <= 1000; t++) recordPoll(trace, t, s, undefined);
    expect(trace.polls).toBe(1000);
    expect(trace.points.length).toBeLessThanOrEqual(MAX_TRACE_POINTS);
    expect(trace.points[0].t).toBe(1);
    expect(trace.points.at(-1)?.t).toBe(1000);
  });

  it('reproduces a passed rollout under its own policy', () => {
    const watches = [step('50% step', { candidateMs: 20, baselineMs: 20, polls: 8, per: 20, verdict: 'pass' }), step('post-promotion watch', { candidateMs: 20, baselineMs: null, polls: 4, per: 20, verdict: 'pass' })];
    expect(whatIf(watches, { slo: {} })).toMatchObject({ recordedDecision: 'passed', decision: 'passed', changed: false });
  });

  it('fails a passed rollout under a stricter p99 limit at the first poll with enough evidence', () => {
    const watches = [step('50% step', { candidateMs: 20, baselineMs: 20, polls: 8, per: 20, verdict: 'pass' })];
    const r = whatIf(watches, { slo: { maxP99LatencyMs: 10 } });
    expect(r).toMatchObject({ decision: 'rolled_back', changed: true });
    expect(r.watches[0].failingChecks).toContain('p99-latency');
    // minSamples 30 at 20 requests a poll: the second poll is the first one judged at all.
    expect(r.watches[0].failAtMs).toBe(500);
    expect(r.summary).toMatch(/^would have rolled back at the 50% step, 0\.5 s in, on .*p99-latency/);
  });

  it('says "unknown" when a looser policy would not have failed a step the release stopped at', () => {
    const watches = [step('50% step', { candidateMs: 300, baselineMs: 20, polls: 6, per: 20, verdict: 'fail' })];
    expect(whatIf(watches, { slo: {} }).decision).toBe('rolled_back');
    const r = whatIf(watches, { slo: { maxLatencyRatio: 100 } });
    expect(r).toMatchObject({ recordedDecision: 'rolled_back', decision: 'unknown', changed: true });
    expect(r.summary).toMatch(/the release stopped there, so what came after is unknown/);
  });

  it('says plainly that a release recorded before traces existed has no per-poll evidence', () => {
    const { trace: _dropped, ...old } = step('50% step', { candidateMs: 20, baselineMs: 20, polls: 2, per: 20, verdict: 'pass' });
    const r = whatIf([old], { slo: { alpha: 0.2 } });
    expect(r).toMatchObject({ decision: 'no_evidence', changed: false, watches: [] });
    expect(r.summary).toMatch(/recorded before per-poll evidence was kept/);
  });

  it('refuses a policy field that is not an SLO field, naming it', () => {
    const r = WhatIfPolicySchema.safeParse({ slo: { alpah: 0.1 } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/alpah/);
  });
});
