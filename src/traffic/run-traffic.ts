/**
 * Open-loop traffic generator for the gateway: request i fires at start + i/rps whether or not
 * earlier ones have answered (a closed loop would slow down with the server and hide latency).
 * Bounded in rate, duration and in-flight requests; loopback targets only.
 */
import { z } from 'zod';
import type { Row } from '../domain/model/bundle';
import { formatIssues } from '../domain/errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const OptionsSchema = z.object({
  gatewayUrl: z.string().url().refine((u) => LOOPBACK.has(new URL(u).hostname), 'gatewayUrl must be a loopback address (127.0.0.1, localhost or ::1)'),
  model: z.string().min(1),
  rows: z.array(z.record(z.string(), z.unknown())).min(1, 'give at least one row to send'),
  rps: z.number().positive().max(5000, 'rps is capped at 5000'),
  durationMs: z.number().int().positive().max(3_600_000, 'durationMs is capped at one hour'),
  stickyKeys: z.array(z.string().min(1)).optional(),
  stickyHeader: z.string().min(1).default('x-mlgate-key'),
  rowsPerRequest: z.number().int().min(1).max(1000).default(1),
  maxInFlight: z.number().int().min(1).max(10_000).default(256),
  timeoutMs: z.number().int().positive().default(5000),
});

export interface TrafficOptions {
  /** Gateway base URL, e.g. http://127.0.0.1:7600 (loopback only). */
  gatewayUrl: string;
  model: string;
  /** Rows are sent in turn, cycling. */
  rows: Row[];
  /** Requests per second (at most 5000). */
  rps: number;
  durationMs: number;
  /** Values for the sticky header, cycled per request, so each key keeps hitting one version. */
  stickyKeys?: string[];
  /** @default "x-mlgate-key" */
  stickyHeader?: string;
  /** @default 1 */
  rowsPerRequest?: number;
  /** Requests over this many in flight are counted as dropped instead of queued. @default 256 */
  maxInFlight?: number;
  /** @default 5000 */
  timeoutMs?: number;
  /** Called about once a second with the running totals. */
  onStats?: (stats: TrafficStats) => void;
  /** Stops scheduling new requests when aborted (those in flight still land and count); the result covers what was sent. */
  signal?: AbortSignal;
}

export interface TrafficStats {
  sent: number;
  ok: number;
  errors: number;
  dropped: number;
  /** Answers per served version (x-mlgate-version). */
  versions: Record<string, number>;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  elapsedMs: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;
}

function snapshot(c: Counters, latencies: number[], elapsedMs: number): TrafficStats {
  const s = [...latencies].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  return {
    ...c, versions: { ...c.versions }, statusCodes: { ...c.statusCodes },
    latencyMs: { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s[s.length - 1] ?? 0, mean }, elapsedMs,
  };
}

interface Counters { sent: number; ok: number; errors: number; dropped: number; versions: Record<string, number>; statusCodes: Record<string, number> }

type Parsed = z.output<typeof OptionsSchema>;

/** One request: never awaited by the scheduler, it only updates the counters when it lands. */
function createSender(o: Parsed, c: Counters, latencies: number[]) {
  const url = `${o.gatewayUrl.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(o.model)}/predict`;
  const inFlight = new Set<Promise<void>>();
  const fire = (i: number) => {
    const rows = Array.from({ length: o.rowsPerRequest }, (_, k) => o.rows[(i * o.rowsPerRequest + k) % o.rows.length]);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.stickyKeys?.length) headers[o.stickyHeader] = o.stickyKeys[i % o.stickyKeys.length];
    const t0 = performance.now();
    c.sent++;
    const p = fetch(url, { method: 'POST', headers, body: JSON.stringify({ rows }), signal: AbortSignal.timeout(o.timeoutMs) })
      .then(async (res) => {
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        c.statusCodes[res.status] = (c.statusCodes[res.status] ?? 0) + 1;
        const v = res.headers.get('x-mlgate-version');
        if (v) c.versions[v] = (c.versions[v] ?? 0) + 1;
        if (res.ok) c.ok++;
        else c.errors++;
      })
      .catch(() => {
        c.errors++;
        c.statusCodes.network = (c.statusCodes.network ?? 0) + 1;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  return { fire, inFlight };
}

export async function runTraffic(options: TrafficOptions): Promise<TrafficStats> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid traffic options:\n${formatIssues(parsed.error.issues).join('\n')}`);
  const o = parsed.data;
  const total = Math.floor((o.rps * o.durationMs) / 1000);
  const c: Counters = { sent: 0, ok: 0, errors: 0, dropped: 0, versions: {}, statusCodes: {} };
  const latencies: number[] = [];
  const { fire, inFlight } = createSender(o, c, latencies);
  const start = performance.now();
  const dueAt = (i: number) => start + (i * 1000) / o.rps;
  let lastStats = start;
  const stopped = () => options.signal?.aborted === true;
  for (let i = 0; i < total && !stopped(); ) {
    const now = performance.now();
    // Fire everything that is due: the schedule, not the answers, sets the pace.
    for (; i < total && dueAt(i) <= now; i++) {
      if (inFlight.size >= o.maxInFlight) c.dropped++;
      else fire(i);
    }
    if (options.onStats && now - lastStats >= 1000) {
      lastStats = now;
      options.onStats(snapshot(c, latencies, now - start));
    }
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(1, dueAt(i) - performance.now())));
  }
  await Promise.all(inFlight);
  const result = snapshot(c, latencies, performance.now() - start);
  options.onStats?.(result);
  return result;
}
