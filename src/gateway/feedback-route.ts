/**
 * `POST /v1/models/:model/feedback` (public listener): observed outcomes and KPI values for earlier
 * predictions, by prediction id, whenever they arrive (days later is fine: they are joined with
 * the prediction log). All items are checked first; one unknown id rejects the batch, storing nothing.
 * `GET /admin/models/:model/feedback` (admin): label tallies per version for the KPI verdict;
 * `GET /admin/models/:model/labelled` (admin): kept inputs with their observed outcome, for the next snapshot.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatIssues } from '../domain/errors';
import type { PredictionLog } from './prediction-log';

const ModelParams = z.object({ model: z.string().min(1) });
export const FeedbackBodySchema = z.object({
  feedback: z
    .array(
      z
        .object({
          predictionId: z.string().min(1, 'predictionId: the id returned by /predict'),
          outcome: z.union([z.string().min(1), z.number()]).optional(),
          kpi: z.number().optional(),
        })
        .refine((f) => f.outcome !== undefined || f.kpi !== undefined, 'give an observed outcome, a kpi value, or both'),
      'send { "feedback": [ { "predictionId": "...", "outcome": "1" } ] }',
    )
    .min(1, 'send at least one feedback item')
    .max(10_000, 'at most 10000 items per request; split the batch'),
}, 'send a JSON object { "feedback": [ ... ] } with content-type: application/json');

export function registerFeedbackRoutes(pub: FastifyInstance, admin: FastifyInstance, deps: { log: PredictionLog }): void {
  pub.post('/v1/models/:model/feedback', async (req, reply) => {
    const { model } = ModelParams.parse(req.params);
    const body = FeedbackBodySchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'InvalidInput', problems: formatIssues(body.error.issues, 'body') });
    const items = body.data.feedback;
    const known = deps.log.find(model, items.map((i) => i.predictionId));
    const unknown = items.map((it, i) => ({ it, i })).filter(({ it }) => !known.has(it.predictionId));
    if (unknown.length > 0) {
      const problems = unknown.slice(0, 20).map(({ it, i }) => `body.feedback.${i}.predictionId: "${it.predictionId}" is not a logged prediction of ${model}; use an id returned by /predict`);
      return reply.code(404).send({ error: 'NotFound', problems });
    }
    deps.log.addFeedback(model, items.map((it) => ({ predictionId: it.predictionId, ...(it.outcome !== undefined ? { outcome: String(it.outcome) } : {}), ...(it.kpi !== undefined ? { kpi: it.kpi } : {}), source: 'api' as const })));
    return { accepted: items.length };
  });
  admin.get('/admin/models/:model/feedback', async (req) => {
    const { model } = ModelParams.parse(req.params);
    return { versions: deps.log.tallies(model) };
  });
  admin.get('/admin/models/:model/labelled', async (req, reply) => {
    const { model } = ModelParams.parse(req.params);
    const q = z.object({ limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000) }).safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'InvalidInput', problems: formatIssues(q.error.issues, 'query') });
    return { rows: deps.log.labelled(model, q.data.limit) };
  });
}
