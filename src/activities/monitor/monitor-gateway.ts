/**
 * What the monitor needs from the gateway's admin API: push the per-model monitoring config, read
 * the prediction log in order, and read label tallies. Responses are validated: they cross a process boundary.
 */
import { z } from 'zod';
import { formatIssues } from '../../domain/errors';
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

export interface MonitorGatewayOptions {
  /** The gateway's admin listener, e.g. http://127.0.0.1:7601. */
  adminUrl: string;
  token: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export function createMonitorGateway(o: MonitorGatewayOptions): MonitorGateway {
  const base = o.adminUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} failed with HTTP ${res.status}: ${text.slice(0, 300)}`);
    const r = schema.safeParse(JSON.parse(text));
    if (!r.success) throw new Error(`gateway returned an unexpected body for ${path}: ${formatIssues(r.error.issues).join('; ')}`);
    return r.data;
  }
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
