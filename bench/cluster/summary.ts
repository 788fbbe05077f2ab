/**
 * The cluster benchmark's pure parts: its headline figures from the raw runs, and scrape intervals
 * read as milliseconds (no I/O; test/unit/bench/cluster-summary.test.ts).
 */
import { spread, type Spread } from '../rollback/summary';

export interface DetectionRun {
  detectionMs: number;
  totalMs: number;
  outcome: string;
  beforeFault: boolean;
}

export interface SourceFigures {
  source: string;
  scrapeMs: number | null;
  /** Runs whose candidate was rolled back after the fault landed: the ones timed. */
  timed: number;
  /** Runs that ended otherwise (promoted past the fault, or rolled back before it): not timed. */
  untimed: number;
  detectionMs: Spread;
  totalMs: Spread;
  /** Median detection minus the in-memory source's; null for that source itself or without it. */
  addedOverInMemoryMs: number | null;
  /** That difference in scrape intervals: the model says between 0 and about 1 (+ rate() window effects). */
  addedInScrapeIntervals: number | null;
}

const round = (x: number, d = 0) => (Number.isFinite(x) ? +x.toFixed(d) : NaN);

/** Per source: spreads of the timed runs and what Prometheus adds over the in-memory windows. */
export function detectionFigures(sources: Array<{ source: string; scrapeMs: number | null; runs: DetectionRun[] }>): SourceFigures[] {
  const timedOf = (runs: DetectionRun[]) => runs.filter((r) => !r.beforeFault && r.outcome === 'rolled_back');
  const base = sources.find((s) => s.scrapeMs === null);
  const baseMedian = base ? spread(timedOf(base.runs).map((r) => r.detectionMs)).median : NaN;
  return sources.map((s) => {
    const timed = timedOf(s.runs);
    const detectionMs = spread(timed.map((r) => round(r.detectionMs)));
    const added = s.scrapeMs !== null && Number.isFinite(baseMedian) && timed.length > 0 ? round(detectionMs.median - baseMedian) : null;
    return {
      source: s.source, scrapeMs: s.scrapeMs, timed: timed.length, untimed: s.runs.length - timed.length,
      detectionMs, totalMs: spread(timed.map((r) => round(r.totalMs))),
      addedOverInMemoryMs: added, addedInScrapeIntervals: added !== null && s.scrapeMs ? round(added / s.scrapeMs, 2) : null,
    };
  });
}

/** Releases per minute side by side, and what the second worker and the cluster itself change. */
export function throughputFigures(r: { embedded?: number; oneWorker?: number; twoWorkers?: number }) {
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : null);
  return {
    releasesPerMinute: { embedded: r.embedded ?? null, clusterOneWorker: r.oneWorker ?? null, clusterTwoWorkers: r.twoWorkers ?? null },
    twoWorkersOverOne: ratio(r.twoWorkers, r.oneWorker),
    clusterOneWorkerOverEmbedded: ratio(r.oneWorker, r.embedded),
  };
}

/** "1s", "15s", "500ms" -> ms (the Prometheus duration units a scrape interval uses here). */
export function intervalMs(interval: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(interval);
  if (!m) throw new Error(`scrape interval "${interval}" must look like 1s, 500ms or 1m`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}
