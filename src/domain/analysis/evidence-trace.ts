/**
 * The per-poll evidence of a watch, recorded compactly so a past rollout can be judged again under
 * another policy (`mlgate whatif`). Pure.
 *
 * Each point is the two cumulative window summaries the watch judged at that poll (the
 * e-processes are functions of those counts alone, see `./e-processes`), packed: histograms keep
 * their non-zero latency buckets only. A step keeps at most MAX_TRACE_POINTS points: past that,
 * every other point is dropped (always keeping the newest, the one the watch decided on), so a long
 * bake keeps its whole time span at a coarser grain and stays small in workflow history.
 */
import { z } from 'zod';
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_BINS, histogramQuantile } from '../stats/histogram';
import type { VersionSummary } from './window-summary';

export const MAX_TRACE_POINTS = 64;

const Count = z.number().int().nonnegative();

export const PackedSummarySchema = z.object({
  /** Requests, errors. */
  n: Count,
  e: Count,
  /** The p99 the metrics source reported (ms). */
  p99: z.number().nonnegative(),
  /** Mean confidence. */
  mc: z.number().min(0).max(1),
  /** Non-zero latency buckets as flat [bucket, count, bucket, count, ...]. */
  lat: z.array(Count),
  /** Score histogram, dense. */
  sc: z.array(Count),
  /** Shadow only: [compared, agreed]. */
  sh: z.tuple([Count, Count]).optional(),
});
export type PackedSummary = z.infer<typeof PackedSummarySchema>;

export const TracePointSchema = z.object({
  /** Milliseconds since the step began. */
  t: z.number().nonnegative(),
  c: PackedSummarySchema.nullable(),
  b: PackedSummarySchema.nullable(),
});
export type TracePoint = z.infer<typeof TracePointSchema>;

export const EvidenceTraceSchema = z.object({
  format: z.literal('mlgate-trace/v1'),
  /** Polls the watch judged in all; `points` may hold fewer (thinned). */
  polls: Count,
  points: z.array(TracePointSchema),
});
export type EvidenceTrace = z.infer<typeof EvidenceTraceSchema>;

export function emptyTrace(): EvidenceTrace {
  return { format: 'mlgate-trace/v1', polls: 0, points: [] };
}

export function packSummary(v: VersionSummary): PackedSummary {
  const lat: number[] = [];
  v.latencyMs.histogram.forEach((n, i) => {
    if (n > 0) lat.push(i, n);
  });
  const sh = v.shadow ? { sh: [v.shadow.compared, v.shadow.agreed] as [number, number] } : {};
  return { n: v.requests, e: v.errors, p99: v.latencyMs.p99, mc: v.meanConfidence, lat, sc: [...v.scoreHistogram], ...sh };
}

/** Back to the summary the analysis reads; p50 and p95 come from the histogram (the checks do not read them). */
export function unpackSummary(p: PackedSummary, version: string): VersionSummary {
  const histogram = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
  for (let i = 0; i + 1 < p.lat.length; i += 2) histogram[p.lat[i]] = p.lat[i + 1];
  const scoreHistogram = p.sc.length === SCORE_BINS ? [...p.sc] : new Array<number>(SCORE_BINS).fill(0);
  return {
    version,
    requests: p.n,
    errors: p.e,
    meanConfidence: p.mc,
    latencyMs: { p50: histogramQuantile(histogram, 0.5), p95: histogramQuantile(histogram, 0.95), p99: p.p99, mean: 0, histogram },
    scoreHistogram,
    ...(p.sh ? { shadow: { compared: p.sh[0], agreed: p.sh[1] } } : {}),
  };
}

/** Records one judged poll, thinning the oldest half-density when full (the newest point always stays). */
export function recordPoll(trace: EvidenceTrace, t: number, candidate: VersionSummary | undefined, baseline: VersionSummary | undefined): void {
  trace.polls++;
  trace.points.push({ t, c: candidate ? packSummary(candidate) : null, b: baseline ? packSummary(baseline) : null });
  if (trace.points.length > MAX_TRACE_POINTS) {
    const kept = trace.points.filter((_, i) => i % 2 === 0 || i === trace.points.length - 1);
    trace.points.splice(0, trace.points.length, ...kept);
  }
}
