/** Prometheus counters for `GET /metrics`: one registry per gateway, so two gateways in one process do not mix. */
import { Counter, Histogram, Registry } from 'prom-client';

export interface GatewayPrometheus {
  registry: Registry;
  requests: Counter<'model' | 'version' | 'outcome'>;
  latency: Histogram<'model' | 'version'>;
  shadow: Counter<'model' | 'version' | 'result'>;
}

export function createGatewayPrometheus(): GatewayPrometheus {
  const registry = new Registry();
  const requests = new Counter({ name: 'mlgate_gateway_requests_total', help: 'Predict requests by served version and outcome (ok, error).', labelNames: ['model', 'version', 'outcome'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'mlgate_gateway_request_duration_seconds',
    help: 'Predict latency inside the gateway, by served version.',
    labelNames: ['model', 'version'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const shadow = new Counter({ name: 'mlgate_gateway_shadow_total', help: 'Mirrored calls to a shadow candidate by result (agreed, disagreed, error).', labelNames: ['model', 'version', 'result'] as const, registers: [registry] });
  return { registry, requests, latency, shadow };
}
