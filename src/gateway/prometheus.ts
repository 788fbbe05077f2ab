/**
 * Prometheus metrics for `GET /metrics`: one registry per gateway, so two gateways in one process do
 * not mix. They carry everything a rollout window needs (requests and errors, the latency histogram
 * in the analysis's own bucket layout, scores per bin, confidence, shadow agreement), so the
 * Prometheus metrics source (`src/adapters/metrics-source/prometheus.ts`) rebuilds the same
 * `WindowSummary` as the gateway's in-memory windows, summed over every replica.
 *
 * A predict call only adds to running totals (`prom-series.ts`); each metric copies them in when
 * scraped. prom-client's own recording hashed the labels and searched the 70 latency bounds on
 * every call, which showed in the gateway's CPU profile under load.
 */
import { Counter, Registry, type Metric } from 'prom-client';
import { SCORE_BINS } from '../domain/stats/histogram';
import { LATENCY_BUCKETS_SECONDS, PROM } from '../domain/metrics/gateway-metrics';
import type { Observation } from './metrics-window';
import { PromSeriesStore, type PromSeries } from './prom-series';

export interface GatewayPrometheus {
  registry: Registry;
  /** One predict call (served, or mirrored to a shadow) of `version`: the same observation the metric windows get. */
  record(model: string, version: string, o: Observation): void;
  /** A mirrored call's outcome as a whole (agreed only when every row agreed). */
  shadowCall(model: string, version: string, result: 'agreed' | 'disagreed' | 'error'): void;
  /**
   * Exports a routed version's series at 0 before its first call. Prometheus sees a counter only from
   * its first scrape, and `increase()` cannot count what happened before it: a series that first
   * appears at 50 loses those 50. Starting at 0, every call lands in some increase.
   */
  touch(model: string, version: string): void;
}

type Labelled = Record<string, string>;

/** A counter whose values are read from the series totals at scrape time. */
function totalsCounter(registry: Registry, store: PromSeriesStore, o: { name: string; help: string; labelNames: string[]; values: (s: PromSeries) => Array<[Labelled, number]> }): void {
  new Counter({
    name: o.name, help: o.help, labelNames: o.labelNames, registers: [registry],
    collect() {
      this.reset();
      for (const s of store.all()) for (const [extra, v] of o.values(s)) this.inc({ ...s.labels, ...extra }, v);
    },
  });
}

/**
 * The latency histogram, rendered from the totals in prom-client's own text layout (cumulative
 * `_bucket` per bound and `+Inf`, `_sum`, `_count`). prom-client's Histogram has no way to add
 * counts in bulk, so this object takes its place in the registry.
 */
function latencyHistogram(store: PromSeriesStore): Metric {
  const name = PROM.latency;
  const help = 'Predict latency inside the gateway, by version; buckets are the rollout analysis\'s own (0.05 ms growing by 25%).';
  const get = async () => {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const s of store.all()) {
      const t = s.totals;
      let acc = 0;
      LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
        acc += t.latency[i];
        values.push({ labels: { le, ...s.labels }, value: acc, metricName: `${name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: t.requests, metricName: `${name}_bucket` });
      values.push({ labels: s.labels, value: t.latencySum / 1000, metricName: `${name}_sum` }, { labels: s.labels, value: t.requests, metricName: `${name}_count` });
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  };
  return { name, help, type: 'histogram', get, reset: () => undefined } as unknown as Metric;
}

export function createGatewayPrometheus(): GatewayPrometheus {
  const registry = new Registry();
  const store = new PromSeriesStore();
  totalsCounter(registry, store, { name: PROM.requests, help: 'Predict calls by version (served or mirrored) and outcome (ok, error).', labelNames: ['model', 'version', 'outcome'], values: ({ totals: t }) => [[{ outcome: 'ok' }, t.requests - t.errors], [{ outcome: 'error' }, t.errors]] });
  registry.registerMetric(latencyHistogram(store));
  totalsCounter(registry, store, {
    name: PROM.rows, help: `Predicted rows by version and score bin (${SCORE_BINS} equal bins over [0, 1]).`, labelNames: ['model', 'version', 'score_bin'],
    values: (s) => Array.from(s.totals.scores, (n, b) => [{ score_bin: String(b) }, n]),
  });
  totalsCounter(registry, store, { name: PROM.confidence, help: 'Sum of the predicted rows\' confidence, by version (divide by the rows for the mean).', labelNames: ['model', 'version'], values: (s) => [[{}, s.totals.confidenceSum]] });
  totalsCounter(registry, store, {
    name: PROM.shadowCalls, help: 'Mirrored calls to a shadow candidate by result (agreed, disagreed, error).', labelNames: ['model', 'version', 'result'],
    values: (s) => (s.totals.shadow ? Object.entries(s.shadowCalls).map(([result, n]) => [{ result }, n]) : []),
  });
  totalsCounter(registry, store, {
    name: PROM.shadowRows, help: 'Rows a shadow candidate answered, by whether its label agreed with the served one.', labelNames: ['model', 'version', 'result'],
    values: ({ totals: t }) => (t.shadow ? [[{ result: 'agreed' }, t.shadowAgreed], [{ result: 'disagreed' }, t.shadowCompared - t.shadowAgreed]] : []),
  });
  return {
    registry,
    record: (model, version, o) => store.record(model, version, o),
    shadowCall(model, version, result) {
      const s = store.get(model, version);
      s.totals.shadow = true;
      s.shadowCalls[result]++;
    },
    touch: (model, version) => void store.get(model, version),
  };
}
