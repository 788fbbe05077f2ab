/**
 * Latency checks on the tail, anytime-valid. Pure.
 *
 * Why the share of requests beyond a threshold rather than Mann-Whitney: the SLO is about the tail
 * (p99), not the median, and a slower-but-within-SLO candidate must not fail. "Is the true p99
 * above L?" is "is the share of requests over L above 1%?", a Bernoulli e-process per threshold
 * (`bernoulliLimitLogE`) on exact histogram counts (requests strictly above the bucket that holds L,
 * all truly slower than L, so the count never overstates).
 *
 * The ratio check tests stochastic order on the tail, two arms at once: H0 is "the candidate's
 * latency is no worse than `maxLatencyRatio` times the baseline's", i.e. for every threshold x,
 * P_candidate(L > x) <= P_baseline(L > x / ratio). For each histogram bound x at or above the floor
 * it runs the one-sided two-arm e-process of `increaseLogE` on (requests over x in the candidate,
 * requests over y in the baseline), y the largest bound <= x / ratio (so the baseline's count never
 * understates its share over x / ratio, and H0 implies each per-threshold null). The check's
 * e-value is the plain average of the per-threshold e-values: an average of e-processes for the same
 * null is an e-process (Vovk and Wang, "E-values: calibration, combination and applications", Ann.
 * Statist. 49(3), 2021, section 4: the arithmetic mean is the admissible symmetric merging
 * function), so by Ville's inequality it reaches 1 / alpha with probability at most alpha, at any
 * poll, over all thresholds. Unlike quantile confidence sequences (Howard and Ramdas, Bernoulli
 * 2022), which need about ln(1/alpha) / 1% baseline requests before the baseline's p99 has an upper
 * bound at all, a candidate whose every request is slow is caught in tens of requests.
 * Like the other two-arm checks it conditions on which arm each request went to and assumes the
 * requests of one arm inside one step are exchangeable (load that hits both arms alike is fine as
 * long as the split does not change inside the step; the watch restarts at every weight step).
 */
import type { CheckResult } from './verdict';
import type { CheckContext } from './error-checks';
import { evidenceText } from './error-checks';
import type { VersionSummary } from './window-summary';
import { countAbove, LATENCY_BUCKET_BOUNDS_MS } from '../stats/histogram';
import { bernoulliLimitLogE, increaseLogEOf, reportE } from './e-processes';

/** By definition 1% of requests may be slower than the p99. */
const TAIL_SHARE = 0.01;
const ms = (x: number) => `${x.toFixed(1)}ms`;

function tailLogE(over: number, requests: number): number {
  return bernoulliLimitLogE({ successes: over, trials: requests, p0: TAIL_SHARE, side: 'above' });
}

/** The decision alone, without the wording (the simulations call it after every request). */
export function judgeP99({ candidate, slo, alphaCheck }: Omit<CheckContext, 'baseline'>): { breach: boolean; e: number; over: number } {
  const over = countAbove(candidate.latencyMs.histogram, slo.maxP99LatencyMs);
  const e = reportE(tailLogE(over, candidate.requests));
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

/** Requests strictly above bucket i (all slower than bound i), for every bucket bound; the open last bucket has none above it. */
function overCounts(histogram: readonly number[]): number[] {
  const out = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length).fill(0);
  let above = 0;
  for (let i = histogram.length - 1; i >= 0; i--) {
    if (i < out.length) out[i] = above;
    above += histogram[i];
  }
  return out;
}

/** The fixed threshold pairs (candidate bucket i, baseline bucket j): bound i >= floor, bound j the largest <= bound i / ratio. */
export function ratioThresholds(ratio: number, floorMs: number): Array<[number, number]> {
  const b = LATENCY_BUCKET_BOUNDS_MS;
  const pairs: Array<[number, number]> = [];
  let j = -1;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < floorMs) continue;
    while (j + 1 < b.length && b[j + 1] <= b[i] / ratio * (1 + 1e-12)) j++;
    if (j >= 0) pairs.push([i, j]);
  }
  return pairs;
}

let lastPairs: { ratio: number; floorMs: number; pairs: Array<[number, number]> } | null = null;
function pairsFor(ratio: number, floorMs: number): Array<[number, number]> {
  if (lastPairs?.ratio !== ratio || lastPairs.floorMs !== floorMs) lastPairs = { ratio, floorMs, pairs: ratioThresholds(ratio, floorMs) };
  return lastPairs.pairs;
}

/** ln of the mean of the per-threshold e-values (a running log-sum-exp, so huge e-values do not overflow). */
export function ratioLogE(candidate: VersionSummary, baseline: VersionSummary, ratio: number, floorMs: number): number {
  const pairs = pairsFor(ratio, floorMs);
  if (pairs.length === 0) return 0;
  const c = overCounts(candidate.latencyMs.histogram);
  const b = overCounts(baseline.latencyMs.histogram);
  let top = -Infinity;
  let sum = 0;
  for (let k = 0; k < pairs.length; k++) {
    const l = increaseLogEOf(c[pairs[k][0]], candidate.requests, b[pairs[k][1]], baseline.requests);
    if (l === Infinity) return Infinity;
    if (l > top) {
      sum = sum * Math.exp(top - l) + 1;
      top = l;
    } else sum += Math.exp(l - top);
  }
  return top + Math.log(sum / pairs.length);
}

/**
 * A breach needs the evidence (the averaged e-value at 1 / alphaCheck) AND an observed p99 over
 * max(ratio x the baseline's observed p99, floor), so a candidate that is slower only in its body
 * is not failed by a p99 check. Requiring both only removes alarms.
 */
export function judgeP99Ratio(ctx: CheckContext & { baseline: VersionSummary; floorMs: number }): { breach: boolean; limit: number } {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const limit = Math.max(baseline.latencyMs.p99 * slo.maxLatencyRatio, ctx.floorMs);
  // The observed condition first: it is cheap, and without it there is no breach whatever the evidence.
  if (!(candidate.latencyMs.p99 > limit)) return { breach: false, limit };
  return { breach: ratioLogE(candidate, baseline, slo.maxLatencyRatio, ctx.floorMs) >= -Math.log(alphaCheck), limit };
}

function p99Ratio(ctx: CheckContext & { baseline: VersionSummary; floorMs: number }): CheckResult {
  const { candidate, baseline, slo, alphaCheck } = ctx;
  const { breach } = judgeP99Ratio(ctx);
  const e = reportE(ratioLogE(candidate, baseline, slo.maxLatencyRatio, ctx.floorMs));
  const ratio = baseline.latencyMs.p99 > 0 ? candidate.latencyMs.p99 / baseline.latencyMs.p99 : 0;
  return {
    name: 'p99-latency-ratio',
    verdict: breach ? 'fail' : 'pass',
    observed: ratio,
    limit: slo.maxLatencyRatio,
    eValue: e,
    alpha: alphaCheck,
    detail: `candidate p99 ${ms(candidate.latencyMs.p99)} vs baseline ${ms(baseline.latencyMs.p99)} (x${ratio.toFixed(2)}, limit x${slo.maxLatencyRatio}, floor ${ms(ctx.floorMs)}): ${evidenceText(e, alphaCheck)} that the candidate's tail is slower than x${slo.maxLatencyRatio} the baseline's`,
  };
}

export function latencyChecks(ctx: CheckContext & { floorMs: number }): CheckResult[] {
  const out = [absoluteP99(ctx)];
  if (ctx.baseline) out.push(p99Ratio({ ...ctx, baseline: ctx.baseline }));
  return out;
}
