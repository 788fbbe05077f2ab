/**
 * Admin routes (token, loopback listener) for monitoring: the review queue (list, label), the
 * per-model monitoring config the monitor pushes (kept columns, review threshold), and reading
 * the prediction log in order (the monitor's drift input).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatIssues } from '../domain/errors';
import type { PredictionLog } from './prediction-log';
import type { ReviewQueue } from './review-queue';
import { ReviewStatusSchema } from '../domain/monitor/review-rules';

const ModelParams = z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'model ids use lowercase letters, digits and dashes') });
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

function invalid(reply: FastifyReply, where: string, issues: z.core.$ZodIssue[]) {
  return reply.code(400).send({ error: 'InvalidInput', problems: formatIssues(issues, where) });
}

export function registerReviewRoutes(admin: FastifyInstance, deps: { log: PredictionLog; review: ReviewQueue }): void {
  admin.get('/admin/models/:model/review', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const q = ReviewListQuerySchema.safeParse(req.query);
    if (!q.success) return invalid(reply, 'query', q.error.issues);
    return { items: deps.review.list(p.data.model, q.data) };
  });
  admin.post('/admin/models/:model/review/:predictionId/label', async (req, reply) => {
    const p = LabelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const b = ReviewLabelBodySchema.safeParse(req.body);
    if (!b.success) return invalid(reply, 'body', b.error.issues);
    const r = deps.review.label(p.data.model, p.data.predictionId, b.data);
    if (r.status === 'not_found') return reply.code(404).send({ error: 'NotFound', message: `prediction ${p.data.predictionId} is not in the review queue of ${p.data.model}; list it with GET /admin/models/${p.data.model}/review` });
    return r.item;
  });
  admin.put('/admin/models/:model/monitoring', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const b = MonitoringConfigBodySchema.safeParse(req.body);
    if (!b.success) return invalid(reply, 'body', b.error.issues);
    deps.log.setConfig(p.data.model, b.data);
    return b.data;
  });
  admin.get('/admin/models/:model/predictions', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const q = PredictionsQuerySchema.safeParse(req.query);
    if (!q.success) return invalid(reply, 'query', q.error.issues);
    return deps.log.read(p.data.model, q.data);
  });
}
