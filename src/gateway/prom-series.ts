/**
 * The gateway's Prometheus numbers per model and version, kept as plain running totals (the same
 * `Tally` a metric window's bucket is): a predict call adds to them in O(1), with no label hashing
 * and no search over the 70 latency bounds. The metrics in `prometheus.ts` read them only when
 * `/metrics` is scraped.
 */
import { addToTally, emptyTally, type Observation, type Tally } from './metrics-window';

export interface PromSeries {
  readonly labels: { model: string; version: string };
  /** Every call of the version since the gateway started. */
  readonly totals: Tally;
  /** Mirrored calls as a whole; exported once `totals.shadow` is set (shadow candidates only). */
  readonly shadowCalls: { agreed: number; disagreed: number; error: number };
}

export class PromSeriesStore {
  /** By model, then version: two lookups cost less than building a joined key on every call. */
  private readonly byModel = new Map<string, Map<string, PromSeries>>();

  /** The series of one version, created at zero (so Prometheus sees it start at 0). */
  get(model: string, version: string): PromSeries {
    let versions = this.byModel.get(model);
    if (!versions) this.byModel.set(model, (versions = new Map()));
    let s = versions.get(version);
    if (!s) versions.set(version, (s = { labels: { model, version }, totals: emptyTally(), shadowCalls: { agreed: 0, disagreed: 0, error: 0 } }));
    return s;
  }

  *all(): IterableIterator<PromSeries> {
    for (const versions of this.byModel.values()) yield* versions.values();
  }

  record(model: string, version: string, o: Observation): void {
    addToTally(this.get(model, version).totals, o);
  }
}
