/**
 * Latency checks on the tail. Why a test on the share of requests beyond a threshold rather than
 * Mann-Whitney: the SLO is about the tail (p99), not the median, and Mann-Whitney answers "is one
 * distribution shifted", which a slower-but-within-SLO candidate would fail. Counting requests over
 * the threshold turns "is the true p99 above the limit?" into "is the share over the limit above 1%?",
 * an exact binomial test that works on the fixed histogram buckets and needs many slow requests,
 * not a few, to fail. Pure.
 */
import type { CheckResult } from './verdict';
import type { CheckContext } from './error-checks';
import type { VersionSummary } from './window-summary';
import { countAbove } from '../stats/histogram';
import { binomialUpperTail, proportionIncreaseTest } from '../stats/proportion-tests';

/** By definition 1% of requests may be slower than the p99. */
const TAIL_SHARE = 0.01;
const ms = (x: number) => `${x.toFixed(1)}ms`;

function absoluteP99({ candidate, slo }: CheckContext): CheckResult {
  const p99 = candidate.latencyMs.p99;
  const over = countAbove(candidate.latencyMs.histogram, slo.maxP99LatencyMs);
  const p = binomialUpperTail(over, candidate.requests, TAIL_SHARE).pValue;
  const breach = p99 > slo.maxP99LatencyMs && p < slo.alpha;
  return {
    name: 'p99-latency',
    verdict: breach ? 'fail' : 'pass',
    observed: p99,
    limit: slo.maxP99LatencyMs,
    detail: `candidate p99 ${ms(p99)} vs limit ${ms(slo.maxP99LatencyMs)}: ${over}/${candidate.requests} requests over the limit (p=${p.toPrecision(2)} that at most 1% are)`,
  };
}

/**
 * The baseline's p99 times the allowed ratio is the threshold. The candidate fails only if (1)
 * significantly more than 1% of its requests are beyond it (its true p99 is over the limit) and (2)
 * its share beyond it is significantly above the baseline's share: the second test keeps slowness
 * that hits both versions alike (a loaded host, a GC pause) from being blamed on the candidate.
 */
function p99Ratio(ctx: CheckContext & { baseline: VersionSummary; floorMs: number }): CheckResult {
  const { candidate, baseline, slo } = ctx;
  const limit = Math.max(baseline.latencyMs.p99 * slo.maxLatencyRatio, ctx.floorMs);
  const over = countAbove(candidate.latencyMs.histogram, limit);
  const baselineOver = countAbove(baseline.latencyMs.histogram, limit);
  const p = binomialUpperTail(over, candidate.requests, TAIL_SHARE).pValue;
  const vsBaseline = proportionIncreaseTest(over, candidate.requests, baselineOver, baseline.requests).pValue;
  const breach = candidate.latencyMs.p99 > limit && p < slo.alpha && vsBaseline < slo.alpha;
  const ratio = baseline.latencyMs.p99 > 0 ? candidate.latencyMs.p99 / baseline.latencyMs.p99 : 0;
  return {
    name: 'p99-latency-ratio',
    verdict: breach ? 'fail' : 'pass',
    observed: ratio,
    limit: slo.maxLatencyRatio,
    detail: `candidate p99 ${ms(candidate.latencyMs.p99)} vs baseline ${ms(baseline.latencyMs.p99)} (x${ratio.toFixed(2)}, limit x${slo.maxLatencyRatio}): ${over}/${candidate.requests} candidate requests over ${ms(limit)} (p=${p.toPrecision(2)} that at most 1% are), baseline ${baselineOver}/${baseline.requests} (p=${vsBaseline.toPrecision(2)})`,
  };
}

export function latencyChecks(ctx: CheckContext & { floorMs: number }): CheckResult[] {
  const out = [absoluteP99(ctx)];
  if (ctx.baseline) out.push(p99Ratio({ ...ctx, baseline: ctx.baseline }));
  return out;
}
