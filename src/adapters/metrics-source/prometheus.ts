/**
 * The `MetricsSource` port on Prometheus: the rollout analysis and the monitor read per-version
 * windows summed over every gateway replica, with PromQL `increase()` over the window, through the
 * HTTP API (`/api/v1/query`). The gateway exports its histograms in the analysis's own layouts
 * (src/gateway/prometheus.ts, names in src/domain/metrics/gateway-metrics.ts), so the summary has the same bins as the in-memory windows.
 *
 * Prometheus down, slow or answering garbage is `unavailable` (the analysis's error verdict), never
 * a pass. A window shorter than two scrapes has no `increase()` yet, so it reads as no traffic
 * (inconclusive): the scrape interval adds to detection time (see README, "Metrics from Prometheus").
 */
import { z } from 'zod';
import { SCORE_BINS, histogramQuantile } from '../../domain/stats/histogram';
import type { VersionSummary } from '../../domain/analysis/window-summary';
import type { MetricsSource, WindowQuery, WindowResult } from '../../ports/metrics-source';
import { LATENCY_BUCKETS_SECONDS, PROM } from '../../domain/metrics/gateway-metrics';

export interface PrometheusSourceOptions {
  /** Base URL of the Prometheus server, e.g. http://127.0.0.1:9090. */
  url: string;
  /** Per-query timeout. @default 5000 */
  timeoutMs?: number;
  /** Clock (epoch ms) for the window's end. @default Date.now */
  now?: () => number;
}

const VectorSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});
type Sample = { labels: Record<string, string>; value: number };

/** A label value inside a PromQL string literal. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `increase()` extrapolates to the window's edges; counts are whole. */
const count = (x: number) => (Number.isFinite(x) && x > 0 ? Math.round(x) : 0);

export function createPrometheusMetricsSource(o: PrometheusSourceOptions): MetricsSource {
  const base = o.url.replace(/\/+$/, '');
  const now = o.now ?? Date.now;
  async function query(promql: string, atMs: number): Promise<Sample[]> {
    const url = `${base}/api/v1/query?${new URLSearchParams({ query: promql, time: (atMs / 1000).toFixed(3) })}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`Prometheus answered HTTP ${res.status} to ${promql}: ${(body as { error?: string } | null)?.error ?? res.statusText}`);
    const parsed = VectorSchema.safeParse(body);
    if (!parsed.success) throw new Error(`Prometheus returned an unexpected body for ${promql}`);
    return parsed.data.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }
  return {
    async window(model: string, q: WindowQuery): Promise<WindowResult> {
      const end = now();
      const range = `${Math.max(1, Math.round(q.windowMs / 1000))}s`;
      const sel = `{model=${quote(model)}}`;
      const inc = (metric: string, by: string) => `sum by (${by}) (increase(${metric}${sel}[${range}]))`;
      let r: Sample[][];
      try {
        r = await Promise.all([
          query(inc(PROM.requests, 'version, outcome'), end),
          query(inc(`${PROM.latency}_bucket`, 'version, le'), end),
          query(inc(`${PROM.latency}_sum`, 'version'), end),
          query(inc(PROM.rows, 'version, score_bin'), end),
          query(inc(PROM.confidence, 'version'), end),
          query(inc(PROM.shadowRows, 'version, result'), end),
        ]);
      } catch (err) {
        return { status: 'unavailable', reason: `Prometheus at ${base}: ${(err as Error).message}` };
      }
      const [requests, buckets, latencySum, rows, confidence, shadow] = r;
      const versions = [...new Set(requests.map((s) => s.labels.version))].sort();
      const summaries = versions.map((v) => summarize(v, { requests, buckets, latencySum, rows, confidence, shadow })).filter((s): s is VersionSummary => s !== null);
      return { status: 'ok', summary: { model, windowStart: end - q.windowMs, windowEnd: end, versions: summaries } };
    },
  };
}

type Series = Record<'requests' | 'buckets' | 'latencySum' | 'rows' | 'confidence' | 'shadow', Sample[]>;

function summarize(version: string, s: Series): VersionSummary | null {
  const of = (samples: Sample[]) => samples.filter((x) => x.labels.version === version);
  const calls = of(s.requests);
  const requests = count(calls.reduce((n, x) => n + x.value, 0));
  if (requests === 0) return null;
  const errors = count(calls.filter((x) => x.labels.outcome === 'error').reduce((n, x) => n + x.value, 0));
  // Cumulative bucket counts (le) back to per-bucket counts in LATENCY_BUCKET_BOUNDS_MS order, plus the open bucket.
  const cumulative = of(s.buckets).map((x) => ({ le: x.labels.le === '+Inf' ? Infinity : Number(x.labels.le), value: x.value }));
  // `le` went through text twice (exposition, PromQL labels): match each bound within float rounding.
  const at = (bound: number) => cumulative.find((c) => c.le === bound || Math.abs(c.le - bound) <= 1e-9 * bound)?.value ?? 0;
  const bounds = [...LATENCY_BUCKETS_SECONDS, Infinity];
  const histogram = bounds.map((b, i) => count(at(b) - (i > 0 ? at(bounds[i - 1]) : 0)));
  const latencySum = of(s.latencySum).reduce((n, x) => n + x.value, 0) * 1000;
  const scoreHistogram = new Array<number>(SCORE_BINS).fill(0);
  for (const x of of(s.rows)) {
    const bin = Number(x.labels.score_bin);
    if (Number.isInteger(bin) && bin >= 0 && bin < SCORE_BINS) scoreHistogram[bin] += count(x.value);
  }
  const scored = scoreHistogram.reduce((n, x) => n + x, 0);
  const confidenceSum = of(s.confidence).reduce((n, x) => n + x.value, 0);
  const shadow = of(s.shadow);
  const agreed = count(shadow.filter((x) => x.labels.result === 'agreed').reduce((n, x) => n + x.value, 0));
  const compared = agreed + count(shadow.filter((x) => x.labels.result === 'disagreed').reduce((n, x) => n + x.value, 0));
  return {
    version, requests, errors: Math.min(errors, requests),
    latencyMs: { p50: histogramQuantile(histogram, 0.5), p95: histogramQuantile(histogram, 0.95), p99: histogramQuantile(histogram, 0.99), mean: latencySum / requests, histogram },
    scoreHistogram,
    meanConfidence: scored > 0 ? Math.min(1, Math.max(0, confidenceSum / scored)) : 0,
    ...(shadow.length > 0 ? { shadow: { compared, agreed } } : {}),
  };
}

/** At start: one line when Prometheus does not answer (nothing starts), instead of every window being unavailable later. */
export async function checkPrometheus(url: string, timeoutMs = 5000): Promise<string | null> {
  const base = url.replace(/\/+$/, '');
  try {
    const res = await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? null : `Prometheus at ${base} is not ready (HTTP ${res.status}); check MLGATE_PROMETHEUS_URL`;
  } catch (err) {
    return `Prometheus at ${base} does not answer (${(err as Error).message}); check MLGATE_PROMETHEUS_URL, or set MLGATE_METRICS_SOURCE=gateway`;
  }
}
