/** Client of the gateway's review API (admin listener, token): what `mlgate review` and scripts use. */
import { z } from 'zod';
import { createAdminJsonCall, type AdminHttpOptions } from './admin-http';
import { ReviewItemSchema, type ReviewItem } from '../../domain/monitor/review-rules';

/** A queued prediction, as the gateway's review API answers it. */
export type ReviewItemView = ReviewItem;

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
      return (await call('GET', `/admin/models/${enc(model)}/review?${qs}`, z.object({ items: z.array(ReviewItemSchema) }))).items;
    },
    label: (model, predictionId, input) => call('POST', `/admin/models/${enc(model)}/review/${enc(predictionId)}/label`, ReviewItemSchema, input),
  };
}
