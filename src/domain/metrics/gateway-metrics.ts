/**
 * The gateway's Prometheus metric names and latency buckets: what the gateway exports and what the
 * Prometheus metrics source queries, in one place below both. Pure.
 */
import { LATENCY_BUCKET_BOUNDS_MS } from '../stats/histogram';

export const PROM = {
  requests: 'mlgate_gateway_requests_total',
  latency: 'mlgate_gateway_request_duration_seconds',
  rows: 'mlgate_gateway_prediction_rows_total',
  confidence: 'mlgate_gateway_prediction_confidence_total',
  shadowCalls: 'mlgate_gateway_shadow_total',
  shadowRows: 'mlgate_gateway_shadow_rows_total',
} as const;

/** The latency buckets in seconds: exactly LATENCY_BUCKET_BOUNDS_MS, so a window rebuilt from Prometheus has the same bins. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = LATENCY_BUCKET_BOUNDS_MS.map((ms) => ms / 1000);
