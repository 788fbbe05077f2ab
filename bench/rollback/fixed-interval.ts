/**
 * The in-run baseline: Flagger-style fixed-interval analysis over the same metrics source. Every
 * `intervalMs` it reads the candidate's window for the last interval, checks the success rate and
 * the p99 against absolute thresholds (Flagger's built-in request-success-rate and request-duration
 * checks), counts failed checks, and rolls back when they reach `threshold`. No statistics, no baseline.
 */
import type { GatewayAdmin } from '../../src/adapters/gateway/gateway-admin';

export interface FixedIntervalOptions {
  admin: GatewayAdmin;
  model: string;
  candidate: string;
  intervalMs: number;
  /** Failed checks before rollback (Flagger `analysis.threshold`). */
  threshold: number;
  maxErrorRate: number;
  maxP99LatencyMs: number;
  /** Windows with fewer candidate requests are skipped, like "no values found". */
  minSamples: number;
  /** Give up after this long. @default 120000 */
  timeoutMs?: number;
}

/** Runs the fixed-interval loop from now; resolves with the local time of the rollback decision. */
export async function fixedIntervalDecision(o: FixedIntervalOptions): Promise<{ decidedAt: number; ticks: number }> {
  const start = Date.now();
  let failed = 0;
  for (let tick = 1; ; tick++) {
    // A ticker, not a sleep after work: Flagger's analysis runs on a fixed schedule.
    await new Promise((r) => setTimeout(r, Math.max(0, start + tick * o.intervalMs - Date.now())));
    const w = await o.admin.window(o.model, { windowMs: o.intervalMs });
    const c = w.status === 'ok' ? w.summary.versions.find((v) => v.version === o.candidate) : undefined;
    if (c && c.requests >= o.minSamples) {
      const bad = c.errors / c.requests > o.maxErrorRate || c.latencyMs.p99 > o.maxP99LatencyMs;
      if (bad) failed++;
      if (failed >= o.threshold) return { decidedAt: Date.now(), ticks: tick };
    }
    if (Date.now() - start > (o.timeoutMs ?? 120_000)) throw new Error(`fixed-interval analysis did not decide within ${o.timeoutMs ?? 120_000} ms`);
  }
}
