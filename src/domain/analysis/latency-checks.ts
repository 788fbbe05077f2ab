/**
 * Latency checks on the tail, anytime-valid. Pure.
 *
 * Why the share of requests beyond a threshold rather than Mann-Whitney: the SLO is about the tail
 * (p99), not the median, and a slower-but-within-SLO candidate must not fail. "Is the true p99
 * above L?" is "is the share of requests over L above 1%?", a Bernoulli e-process per threshold
 * (`bernoulliLimitLogE`) on exact histogram counts (requests strictly above the bucket that holds L,
 * all truly slower than L, so the count never overstates).
 *
 * The ratio check compares quantile confidence sequences, as Howard and Ramdas do for A/B tests of
 * quantiles ("Sequential estimation of quantiles with applications to A/B-testing and best-arm
 * identification", Bernoulli 28(3), 2022; arXiv 1906.09712): a lower bound on the candidate's p99
 * and an upper bound on the baseline's, each valid at all times with probability 1 - alpha/2; it
 * fails when lower > max(ratio x upper, floor). Each bound is the extreme histogram bound whose
 * one-threshold e-process rejects; because that e-process is monotone in the count on its alarm
 * side (prior centred on 1%, see `bernoulliLimitLogE`), a rejection at any threshold on the wrong
 * side of the true p99 implies a rejection at the nearest one, so each bound errs with probability
 * at most alpha/2 over all thresholds and all times: no union over buckets is needed.
 */
import type { CheckResult } from './verdict';
import type { CheckContext } from './error-checks';
import { evidenceText, formatE } from './error-checks';
import type { VersionSummary } from './window-summary';
import { bucketUpperMs, countAbove, LATENCY_BUCKET_BOUNDS_MS } from '../stats/histogram';
import { bernoulliLimitLogE, reportE, type Side } from './e-processes';

/** By definition 1% of requests may be slower than the p99. */
const TAIL_SHARE = 0.01;
const ms = (x: number) => `${x.toFixed(1)}ms`;

function tailLogE(over: number, requests: number, side: Side): number {
  return bernoulliLimitLogE({ successes: over, trials: requests, p0: TAIL_SHARE, side });
}

/** The decision alone, without the wording (the simulations call it after every request). */
export function judgeP99({ candidate, slo, alphaCheck }: Omit<CheckContext, 'baseline'>): { breach: boolean; e: number; over: number } {
  const over = countAbove(candidate.latencyMs.histogram, slo.maxP99LatencyMs);
  const e = reportE(tailLogE(over, candidate.requests, 'above'));
  return { breach: candidate.latencyMs.p99 > slo.maxP99LatencyMs && e >= 1 / alphaCheck, e, over };
}

function absoluteP99(ctx: CheckContext): CheckResult {
  const { candidate, slo, alphaCheck } = ctx;
  const p99 = candidate.latencyMs.p99;
  const { breach, e, over } = judgeP99(ctx);
  return {
    name: 'p99-latency',
    verdict: breach ? 'fail' : 'pass',
    observed: p99,
    limit: slo.maxP99LatencyMs,
    eValue: e,
    alpha: alphaCheck,
    detail: `candidate p99 ${ms(p99)} vs limit ${ms(slo.maxP99LatencyMs)}: ${over}/${candidate.requests} requests over the limit (${evidenceText(e, alphaCheck)} that more than 1% are)`,
  };
}

/** Requests strictly above bucket i, for every bucket bound (the open last bucket has none above it). */
function overCounts(histogram: readonly number[]): number[] {
  const out = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length).fill(0);
  let above = 0;
  for (let i = histogram.length - 1; i >= 0; i--) {
    if (i < out.length) out[i] = above;
    above += histogram[i];
  }
  return out;
}

/**
 * First index in [0, n) where a monotone predicate turns true (n when never). The rejected
 * thresholds form a contiguous run because the e-process is monotone in the count (see above).
 */
function firstTrue(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Largest bucket bound x with evidence that more than 1% of requests are slower than x (so p99 > x); 0 when none. */
export function p99LowerBound(s: VersionSummary, alpha: number): number {
  const over = overCounts(s.latencyMs.histogram);
  // Rejected thresholds are a prefix [0, k): find where the rejections stop.
  const k = firstTrue(over.length, (i) => tailLogE(over[i], s.requests, 'above') < -Math.log(alpha));
  return k === 0 ? 0 : bucketUpperMs(k - 1);
}

/** Smallest bucket bound x with evidence that fewer than 1% of requests are slower than x (so p99 <= x); Infinity when none. */
export function p99UpperBound(s: VersionSummary, alpha: number): number {
  const over = overCounts(s.latencyMs.histogram);
  // Rejected thresholds are a suffix [k, end).
  const k = firstTrue(over.length, (i) => tailLogE(over[i], s.requests, 'below') >= -Math.log(alpha));
  return k === over.length ? Infinity : bucketUpperMs(k);
}

/**
 * Slowness that hits both versions alike (a loaded host, a GC pause) raises the baseline's upper
 * bound too, so it is not blamed on the candidate.
 */
export function judgeP99Ratio(ctx: CheckContext & { baseline: VersionSummary; floorMs: number }): { breach: boolean; lower: number; upper: number } {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const lower = p99LowerBound(candidate, alphaCheck / 2);
  const upper = p99UpperBound(baseline, alphaCheck / 2);
  const limit = Math.max(upper * slo.maxLatencyRatio, ctx.floorMs);
  return { breach: candidate.latencyMs.p99 > limit && lower > limit, lower, upper };
}

function p99Ratio(ctx: CheckContext & { baseline: VersionSummary; floorMs: number }): CheckResult {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const { breach, lower, upper } = judgeP99Ratio(ctx);
  const ratio = baseline.latencyMs.p99 > 0 ? candidate.latencyMs.p99 / baseline.latencyMs.p99 : 0;
  // Not an e-value: the check is two confidence sequences; report how far apart the bounds are.
  const bounds = `candidate p99 > ${ms(lower)}, baseline p99 <= ${Number.isFinite(upper) ? ms(upper) : 'unknown yet'}, each at 1 - ${formatE(alphaCheck / 2)}`;
  return {
    name: 'p99-latency-ratio',
    verdict: breach ? 'fail' : 'pass',
    observed: ratio,
    limit: slo.maxLatencyRatio,
    alpha: alphaCheck,
    detail: `candidate p99 ${ms(candidate.latencyMs.p99)} vs baseline ${ms(baseline.latencyMs.p99)} (x${ratio.toFixed(2)}, limit x${slo.maxLatencyRatio}): ${bounds}${breach ? `: above x${slo.maxLatencyRatio} the baseline's bound` : ''}`,
  };
}

export function latencyChecks(ctx: CheckContext & { floorMs: number }): CheckResult[] {
  const out = [absoluteP99(ctx)];
  if (ctx.baseline) out.push(p99Ratio({ ...ctx, baseline: ctx.baseline }));
  return out;
}
