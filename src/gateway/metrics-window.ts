/**
 * Sliding-window metrics per model and version: a ring of 1-second buckets over the last few
 * minutes. Recording is O(1) on the hot path; summaries add buckets up on demand.
 */
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_BINS, histogramQuantile, latencyBucket, scoreBin } from '../domain/stats/histogram';
import type { VersionSummary, WindowSummary } from '../domain/analysis/window-summary';
import type { Prediction } from '../domain/model/bundle';

const LATENCY_SLOTS = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Counts of predict calls that add up: one 1-second bucket of a window, or a version's running totals for Prometheus (Float64: totals that never wrap). */
export interface Tally {
  requests: number;
  errors: number;
  latency: Float64Array;
  latencySum: number;
  scores: Float64Array;
  confidenceSum: number;
  shadowCompared: number;
  shadowAgreed: number;
  shadow: boolean;
}

interface Bucket extends Tally {
  second: number;
}

export function emptyTally(): Tally {
  return {
    requests: 0, errors: 0, latency: new Float64Array(LATENCY_SLOTS), latencySum: 0, scores: new Float64Array(SCORE_BINS), confidenceSum: 0,
    shadowCompared: 0, shadowAgreed: 0, shadow: false,
  };
}

const emptyBucket = (second: number): Bucket => ({ ...emptyTally(), second });

/** Adds one call: O(1) plus one step per predicted row. */
export function addToTally(b: Tally, o: Observation): void {
  b.requests++;
  if (o.error) b.errors++;
  b.latency[latencyBucket(o.latencyMs)]++;
  b.latencySum += o.latencyMs;
  for (const p of o.predictions ?? []) {
    b.scores[scoreBin(p.score)]++;
    b.confidenceSum += p.confidence;
  }
  if (o.shadow) {
    b.shadow = true;
    b.shadowCompared += o.shadow.compared;
    b.shadowAgreed += o.shadow.agreed;
  }
}

export interface Observation {
  latencyMs: number;
  error: boolean;
  predictions?: readonly Prediction[];
  /** Set on mirrored (shadow) calls: rows compared with the stable answer and rows with the same label. */
  shadow?: { compared: number; agreed: number };
}

class VersionWindow {
  private readonly ring: Bucket[];
  constructor(private readonly seconds: number) {
    this.ring = Array.from({ length: seconds }, () => emptyBucket(-1));
  }

  private bucketAt(nowMs: number): Bucket {
    const second = Math.floor(nowMs / 1000);
    const i = second % this.seconds;
    if (this.ring[i].second !== second) this.ring[i] = emptyBucket(second);
    return this.ring[i];
  }

  record(nowMs: number, o: Observation): void {
    addToTally(this.bucketAt(nowMs), o);
  }

  summarize(version: string, fromMs: number, toMs: number): VersionSummary | null {
    const from = Math.floor(fromMs / 1000);
    const to = Math.floor(toMs / 1000);
    const latency = new Array<number>(LATENCY_SLOTS).fill(0);
    const scores = new Array<number>(SCORE_BINS).fill(0);
    let requests = 0, errors = 0, latencySum = 0, confidenceSum = 0, compared = 0, agreed = 0, shadow = false;
    for (const b of this.ring) {
      if (b.second < from || b.second > to) continue;
      requests += b.requests;
      errors += b.errors;
      latencySum += b.latencySum;
      confidenceSum += b.confidenceSum;
      compared += b.shadowCompared;
      agreed += b.shadowAgreed;
      shadow ||= b.shadow;
      b.latency.forEach((c, i) => (latency[i] += c));
      b.scores.forEach((c, i) => (scores[i] += c));
    }
    if (requests === 0) return null;
    const rows = scores.reduce((s, x) => s + x, 0);
    return {
      version,
      requests,
      errors,
      latencyMs: { p50: histogramQuantile(latency, 0.5), p95: histogramQuantile(latency, 0.95), p99: histogramQuantile(latency, 0.99), mean: latencySum / requests, histogram: latency },
      scoreHistogram: scores,
      meanConfidence: rows ? Math.min(1, confidenceSum / rows) : 0,
      ...(shadow ? { shadow: { compared, agreed } } : {}),
    };
  }
}

export interface MetricsWindowsOptions {
  /** How far back windows reach. @default 300 (5 minutes) */
  seconds?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface MetricsWindows {
  record(model: string, version: string, o: Observation): void;
  /** Per-version summary of the last `windowMs` (not before `sinceMs`). */
  summary(model: string, opts: { windowMs: number; sinceMs?: number }): WindowSummary;
  readonly maxWindowMs: number;
}

export function createMetricsWindows(options: MetricsWindowsOptions = {}): MetricsWindows {
  const seconds = options.seconds ?? 300;
  const now = options.now ?? Date.now;
  const models = new Map<string, Map<string, VersionWindow>>();
  return {
    maxWindowMs: seconds * 1000,
    record(model, version, o) {
      let versions = models.get(model);
      if (!versions) models.set(model, (versions = new Map()));
      let w = versions.get(version);
      if (!w) versions.set(version, (w = new VersionWindow(seconds)));
      w.record(now(), o);
    },
    summary(model, { windowMs, sinceMs }) {
      const end = now();
      const start = Math.max(end - Math.min(windowMs, seconds * 1000), sinceMs ?? 0);
      const out: VersionSummary[] = [];
      for (const [version, w] of models.get(model) ?? []) {
        const s = w.summarize(version, start, end);
        if (s) out.push(s);
      }
      return { model, windowStart: start, windowEnd: end, versions: out };
    },
  };
}
