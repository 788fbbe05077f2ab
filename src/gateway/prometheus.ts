/**
 * Prometheus metrics for `GET /metrics`: one registry per gateway, so two gateways in one process do
 * not mix. They carry everything a rollout window needs (requests and errors, the latency histogram
 * in the analysis's own bucket layout, scores per bin, confidence, shadow agreement), so the
 * Prometheus metrics source (`src/adapters/metrics-source/prometheus.ts`) rebuilds the same
 * `WindowSummary` as the gateway's in-memory windows, summed over every replica.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { SCORE_BINS, scoreBin } from '../domain/stats/histogram';
import { LATENCY_BUCKETS_SECONDS, PROM } from '../domain/metrics/gateway-metrics';
import type { Observation } from './metrics-window';


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

export function createGatewayPrometheus(): GatewayPrometheus {
  const registry = new Registry();
  const requests = new Counter({ name: PROM.requests, help: 'Predict calls by version (served or mirrored) and outcome (ok, error).', labelNames: ['model', 'version', 'outcome'] as const, registers: [registry] });
  const latency = new Histogram({
    name: PROM.latency,
    help: 'Predict latency inside the gateway, by version; buckets are the rollout analysis\'s own (0.05 ms growing by 25%).',
    labelNames: ['model', 'version'] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [registry],
  });
  const rows = new Counter({ name: PROM.rows, help: `Predicted rows by version and score bin (${SCORE_BINS} equal bins over [0, 1]).`, labelNames: ['model', 'version', 'score_bin'] as const, registers: [registry] });
  const confidence = new Counter({ name: PROM.confidence, help: 'Sum of the predicted rows\' confidence, by version (divide by the rows for the mean).', labelNames: ['model', 'version'] as const, registers: [registry] });
  const shadowCalls = new Counter({ name: PROM.shadowCalls, help: 'Mirrored calls to a shadow candidate by result (agreed, disagreed, error).', labelNames: ['model', 'version', 'result'] as const, registers: [registry] });
  const shadowRows = new Counter({ name: PROM.shadowRows, help: 'Rows a shadow candidate answered, by whether its label agreed with the served one.', labelNames: ['model', 'version', 'result'] as const, registers: [registry] });
  return {
    registry,
    record(model, version, o) {
      requests.inc({ model, version, outcome: o.error ? 'error' : 'ok' });
      latency.observe({ model, version }, o.latencyMs / 1000);
      const preds = o.predictions ?? [];
      if (preds.length > 0) {
        // Counted per request, not per row: one labelled increment per bin that occurs.
        const bins = new Array<number>(SCORE_BINS).fill(0);
        let confidenceSum = 0;
        for (const p of preds) {
          bins[scoreBin(p.score)]++;
          confidenceSum += p.confidence;
        }
        for (let b = 0; b < SCORE_BINS; b++) if (bins[b] > 0) rows.inc({ model, version, score_bin: String(b) }, bins[b]);
        confidence.inc({ model, version }, confidenceSum);
      }
      if (o.shadow) {
        shadowRows.inc({ model, version, result: 'agreed' }, o.shadow.agreed);
        shadowRows.inc({ model, version, result: 'disagreed' }, o.shadow.compared - o.shadow.agreed);
      }
    },
    shadowCall: (model, version, result) => shadowCalls.inc({ model, version, result }),
    touch(model, version) {
      for (const outcome of ['ok', 'error']) requests.inc({ model, version, outcome }, 0);
      latency.zero({ model, version });
      for (let b = 0; b < SCORE_BINS; b++) rows.inc({ model, version, score_bin: String(b) }, 0);
      confidence.inc({ model, version }, 0);
    },
  };
}
