/** Client of the gateway's review API (admin listener, token): what `mlgate review` and scripts use. */
import { z } from 'zod';
import { formatIssues } from '../domain/errors';

const ItemSchema = z.object({
  predictionId: z.string(), version: z.string(), at: z.string(), predicted: z.string(), confidence: z.number(),
  inputs: z.record(z.string(), z.unknown()), status: z.enum(['pending', 'labelled']), reviewer: z.string().nullable(), observed: z.string().nullable(),
});
export type ReviewItemView = z.infer<typeof ItemSchema>;

export interface ReviewClientOptions {
  /** The gateway's admin listener, e.g. http://127.0.0.1:7601. */
  adminUrl: string;
  token: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export interface ReviewClient {
  list(model: string, q?: { status?: 'pending' | 'labelled'; limit?: number }): Promise<ReviewItemView[]>;
  label(model: string, predictionId: string, input: { label: string; reviewer: string }): Promise<ReviewItemView>;
}

export function createReviewClient(o: ReviewClientOptions): ReviewClient {
  const base = o.adminUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    const json = (await res.json()) as { message?: string; problems?: string[] };
    if (!res.ok) throw new Error(json.problems?.join('; ') ?? json.message ?? `HTTP ${res.status}`);
    const r = schema.safeParse(json);
    if (!r.success) throw new Error(`gateway returned an unexpected body: ${formatIssues(r.error.issues).join('; ')}`);
    return r.data;
  }
  const enc = encodeURIComponent;
  return {
    async list(model, q = {}) {
      const qs = new URLSearchParams({ status: q.status ?? 'pending', limit: String(q.limit ?? 100) });
      return (await call('GET', `/admin/models/${enc(model)}/review?${qs}`, z.object({ items: z.array(ItemSchema) }))).items;
    },
    label: (model, predictionId, input) => call('POST', `/admin/models/${enc(model)}/review/${enc(predictionId)}/label`, ItemSchema, input),
  };
}
