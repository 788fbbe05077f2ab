/** Client of the gateway's review API (admin listener, token): what `mlgate review` and scripts use. */
import { z } from 'zod';
import { createAdminJsonCall, type AdminHttpOptions } from './admin-http';
import { ReviewItemSchema } from '../../domain/monitor/review-rules';

const ItemSchema = ReviewItemSchema;
export type ReviewItemView = z.infer<typeof ItemSchema>;

export type ReviewClientOptions = AdminHttpOptions;

export interface ReviewClient {
  list(model: string, q?: { status?: 'pending' | 'labelled'; limit?: number }): Promise<ReviewItemView[]>;
  label(model: string, predictionId: string, input: { label: string; reviewer: string }): Promise<ReviewItemView>;
}

export function createReviewClient(o: ReviewClientOptions): ReviewClient {
  const call = createAdminJsonCall(o, 10_000);
  const enc = encodeURIComponent;
  return {
    async list(model, q = {}) {
      const qs = new URLSearchParams({ status: q.status ?? 'pending', limit: String(q.limit ?? 100) });
      return (await call('GET', `/admin/models/${enc(model)}/review?${qs}`, z.object({ items: z.array(ItemSchema) }))).items;
    },
    label: (model, predictionId, input) => call('POST', `/admin/models/${enc(model)}/review/${enc(predictionId)}/label`, ItemSchema, input),
  };
}
