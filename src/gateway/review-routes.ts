/**
 * Admin routes (token, loopback listener) for monitoring: the review queue (list, label), the
 * per-model monitoring config the monitor pushes (kept columns, review threshold), and reading
 * the prediction log in order (the monitor's drift input).
 */
import { z } from 'zod';
import { ModelParamsSchema } from './route-params';
import type { PredictionLog } from '../ports/prediction-log';
import { orUnavailable } from './feedback-route';
import { ERROR_RESPONSES, type HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import { ReviewItemSchema, ReviewStatusSchema } from '../domain/monitor/review-rules';
import { PredictionsPageSchema } from '../ports/monitor-gateway';

const ModelParams = ModelParamsSchema;
const LabelParams = ModelParams.extend({ predictionId: z.string().min(1) });
export const ReviewListQuerySchema = z.object({
  status: ReviewStatusSchema.default('pending'),
  limit: z.coerce.number().int().min(1).max(1000, 'limit: at most 1000 items per page').default(100),
});
export const ReviewLabelBodySchema = z.object({
  label: z.string().min(1, 'label: give the observed outcome, e.g. "1"'),
  reviewer: z.string().min(1, 'reviewer: name who labelled it (an email address)'),
});
export const MonitoringConfigBodySchema = z.object({
  keepColumns: z.array(z.string().min(1)),
  reviewConfidenceBelow: z.number().min(0).max(1),
});
export const PredictionsQuerySchema = z.object({
  afterSeq: z.coerce.number().int().nonnegative('afterSeq: the last seq already read (0 = from the start)').default(0),
  limit: z.coerce.number().int().min(1).max(100_000).default(5000),
  version: z.string().min(1).optional(),
});

export function registerReviewRoutes(admin: HttpApp, deps: { log: PredictionLog }): void {
  admin.get('/admin/models/:model/review', {
    schema: { summary: 'The review queue: low-confidence predictions waiting for a human label', tags: ['review'], params: ModelParams, querystring: ReviewListQuerySchema, response: { 200: z.object({ items: z.array(ReviewItemSchema) }), ...ERROR_RESPONSES } },
  }, async (req) => ({ items: await deps.log.reviewList(req.params.model, req.query) }));
  admin.post('/admin/models/:model/review/:predictionId/label', {
    schema: { summary: 'Label one queued prediction with the observed outcome', tags: ['review'], params: LabelParams, body: ReviewLabelBodySchema, response: { 200: ReviewItemSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    const { model, predictionId } = req.params;
    const r = await orUnavailable(() => deps.log.reviewLabel(model, predictionId, req.body));
    if (r.status === 'not_found') throw new HttpError(404, ErrorCode.NOT_FOUND, `prediction ${predictionId} is not in the review queue of ${model}; list it with GET /admin/models/${model}/review`);
    return r.item;
  });
  admin.put('/admin/models/:model/monitoring', {
    schema: { summary: 'Set what the prediction log keeps and the review threshold (the monitor pushes this every period)', tags: ['monitoring'], params: ModelParams, body: MonitoringConfigBodySchema, response: { 200: MonitoringConfigBodySchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    await orUnavailable(() => deps.log.setConfig(req.params.model, req.body));
    return req.body;
  });
  admin.get('/admin/models/:model/predictions', {
    schema: { summary: 'Read the prediction log in order, after a sequence number (the monitor\'s drift input)', tags: ['monitoring'], params: ModelParams, querystring: PredictionsQuerySchema, response: { 200: PredictionsPageSchema, ...ERROR_RESPONSES } },
  }, async (req) => deps.log.read(req.params.model, req.query));
}
