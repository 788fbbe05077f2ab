/**
 * The `MonitorGateway` port over the gateway's admin HTTP API. Responses are validated: they cross
 * a process boundary.
 */
import { z } from 'zod';
import { LabelledRowSchema, PredictionsPageSchema, TallySchema, type MonitorGateway } from '../../ports/monitor-gateway';
import { createAdminJsonCall, type AdminHttpOptions } from '../gateway/admin-http';

const TalliesSchema = z.object({ versions: z.array(TallySchema) });
const LabelledSchema = z.object({ rows: z.array(LabelledRowSchema) });

export type MonitorGatewayOptions = AdminHttpOptions;

export function createMonitorGateway(o: MonitorGatewayOptions): MonitorGateway {
  const call = createAdminJsonCall(o, 10_000);
  const enc = encodeURIComponent;
  return {
    async setMonitoringConfig(model, config) {
      await call('PUT', `/admin/models/${enc(model)}/monitoring`, z.unknown(), config);
    },
    readPredictions(model, q) {
      const qs = new URLSearchParams({ afterSeq: String(q.afterSeq), limit: String(q.limit), ...(q.version ? { version: q.version } : {}) });
      return call('GET', `/admin/models/${enc(model)}/predictions?${qs}`, PredictionsPageSchema);
    },
    async tallies(model, q = {}) {
      const qs = q.since === undefined ? '' : `?since=${q.since}`;
      return (await call('GET', `/admin/models/${enc(model)}/feedback${qs}`, TalliesSchema)).versions;
    },
    async labelled(model) {
      return (await call('GET', `/admin/models/${enc(model)}/labelled`, LabelledSchema)).rows;
    },
  };
}
