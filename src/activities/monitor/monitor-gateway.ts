/**
 * What the monitor needs from the gateway's admin API: push the per-model monitoring config, read
 * the prediction log in order, and read label tallies. Responses are validated: they cross a process boundary.
 */
import { z } from 'zod';
import { createAdminJsonCall, type AdminHttpOptions } from '../../adapters/gateway/admin-http';
import type { MonitoringConfig } from '../../domain/monitor/review-rules';

const LoggedSchema = z.object({
  seq: z.number().int(), id: z.string(), version: z.string(), at: z.number(), label: z.string(), score: z.number(), confidence: z.number(),
  inputs: z.record(z.string(), z.unknown()),
});
const PredictionsSchema = z.object({ entries: z.array(LoggedSchema), nextSeq: z.number().int() });
export type PredictionsPage = z.infer<typeof PredictionsSchema>;
const TallySchema = z.object({ version: z.string(), labelled: z.number(), correct: z.number(), kpiCount: z.number(), kpiSum: z.number() });
const TalliesSchema = z.object({ versions: z.array(TallySchema) });
export type Tally = z.infer<typeof TallySchema>;

const LabelledSchema = z.object({ rows: z.array(z.object({ predictionId: z.string(), version: z.string(), inputs: z.record(z.string(), z.unknown()), outcome: z.string() })) });
export type LabelledRow = z.infer<typeof LabelledSchema>['rows'][number];

export interface MonitorGateway {
  setMonitoringConfig(model: string, config: MonitoringConfig): Promise<void>;
  readPredictions(model: string, q: { afterSeq: number; limit: number; version?: string }): Promise<PredictionsPage>;
  tallies(model: string): Promise<Tally[]>;
  labelled(model: string): Promise<LabelledRow[]>;
}

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
      return call('GET', `/admin/models/${enc(model)}/predictions?${qs}`, PredictionsSchema);
    },
    async tallies(model) {
      return (await call('GET', `/admin/models/${enc(model)}/feedback`, TalliesSchema)).versions;
    },
    async labelled(model) {
      return (await call('GET', `/admin/models/${enc(model)}/labelled`, LabelledSchema)).rows;
    },
  };
}
