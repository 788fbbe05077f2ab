/**
 * The same-run baseline for detection time: the rollout analysis as it was before issue #15
 * (src/domain/analysis at d79fecf^), fixed-sample tests judged at every poll. Only its mid-bake part
 * is kept, because that is what decides a detection time: the minimum-sample gate, the error-rate
 * checks (exact binomial against the ceiling; two-proportion z-test, Fisher for small counts,
 * against the baseline) and the latency checks (exact binomial on the share over the p99 limit;
 * the same plus a test against the baseline's share for the ratio), each at the spec's whole
 * `slo.alpha`. The distribution checks were judged only at the end of a bake, so they are left out.
 * It lives under bench/ because it is a yardstick, not product code: it inflates false alarms by
 * judging fixed-sample p-values again and again, which is what #15 replaced.
 */
import type { SloSpec } from '../../src/domain/spec';
import type { VersionSummary } from '../../src/domain/analysis/window-summary';
import { countAbove } from '../../src/domain/stats/histogram';
import { binomialUpperTail, proportionIncreaseTest } from '../../src/domain/stats/proportion-tests';

export type LegacyVerdict = 'pass' | 'fail' | 'inconclusive';

/** By definition 1% of requests may be slower than the p99. */
const TAIL_SHARE = 0.01;
/** p99 latencies at or below this were never a ratio breach (the old default `latencyFloorMs`). */
const FLOOR_MS = 5;

function errorFails(c: VersionSummary, b: VersionSummary, slo: SloSpec): string | null {
  const rate = c.errors / c.requests;
  if (rate > slo.maxErrorRate && binomialUpperTail(c.errors, c.requests, slo.maxErrorRate).pValue < slo.alpha) return 'error-rate';
  const diff = rate - b.errors / b.requests;
  if (diff > slo.maxErrorRateIncrease && proportionIncreaseTest(c.errors, c.requests, b.errors, b.requests).pValue < slo.alpha) return 'error-rate-increase';
  return null;
}

function latencyFails(c: VersionSummary, b: VersionSummary, slo: SloSpec): string | null {
  const overLimit = countAbove(c.latencyMs.histogram, slo.maxP99LatencyMs);
  if (c.latencyMs.p99 > slo.maxP99LatencyMs && binomialUpperTail(overLimit, c.requests, TAIL_SHARE).pValue < slo.alpha) return 'p99-latency';
  const limit = Math.max(b.latencyMs.p99 * slo.maxLatencyRatio, FLOOR_MS);
  if (!(c.latencyMs.p99 > limit)) return null;
  const over = countAbove(c.latencyMs.histogram, limit);
  const baselineOver = countAbove(b.latencyMs.histogram, limit);
  const tail = binomialUpperTail(over, c.requests, TAIL_SHARE).pValue;
  const vsBaseline = proportionIncreaseTest(over, c.requests, baselineOver, b.requests).pValue;
  return tail < slo.alpha && vsBaseline < slo.alpha ? 'p99-latency-ratio' : null;
}

/** The pre-#15 mid-bake verdict of a canary step (candidate against baseline), and the check that failed. */
export function legacyCanaryVerdict(c: VersionSummary | undefined, b: VersionSummary | undefined, slo: SloSpec): { verdict: LegacyVerdict; check?: string } {
  if (!c || !b || c.requests < slo.minSamples || b.requests < slo.minSamples) return { verdict: 'inconclusive' };
  const check = errorFails(c, b, slo) ?? latencyFails(c, b, slo);
  return check ? { verdict: 'fail', check } : { verdict: 'pass' };
}
