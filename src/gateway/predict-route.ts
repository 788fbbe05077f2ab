/**
 * `POST /v1/models/:model/predict` in fastify: the documented route (OpenAPI, zod validation) and
 * the path for every request the node:http lane (`predict-lane.ts`) passes on. Both answer
 * through `servePredict`, so they cannot drift apart.
 */
import { z } from 'zod';
import { ERROR_RESPONSES, type HttpApp } from '../http/http-app';
import { servePredict, type PredictDeps } from './serve-predict';

export type { PredictDeps } from './serve-predict';

export const MAX_ROWS_PER_REQUEST = 1000;

export const PredictBodySchema = z.object({
  rows: z
    .array(z.record(z.string(), z.unknown(), 'each row is an object of feature name to value'), 'send { "rows": [ { feature: value, ... } ] }')
    .min(1, 'send at least one row')
    .max(MAX_ROWS_PER_REQUEST, `at most ${MAX_ROWS_PER_REQUEST} rows per request; split the batch`),
}, 'send a JSON object { "rows": [ ... ] } with content-type: application/json');
export const PredictParamsSchema = z.object({ model: z.string().min(1) });
const PredictionSchema = z.object({ label: z.string(), score: z.number(), confidence: z.number() });
export const PredictResponseSchema = z.object({
  predictions: z.array(PredictionSchema),
  version: z.string().describe('The artifact id that answered (also in the x-mlgate-version header).'),
  predictionIds: z.array(z.string()).describe('One id per row; send it back with feedback.'),
});

export function registerPredictRoute(app: HttpApp, deps: PredictDeps): void {
  app.post('/v1/models/:model/predict', {
    schema: {
      summary: "Predict: routed to the model's stable version or its canary; a shadow candidate is mirrored after the answer",
      tags: ['predict'], params: PredictParamsSchema, body: PredictBodySchema, response: { 200: PredictResponseSchema, ...ERROR_RESPONSES },
    },
  }, async (req, reply) => {
    const out = await servePredict(deps, req.params.model, req.body.rows, req.headers, (fields, message) => req.log.warn(fields, message));
    if (out.version !== undefined) reply.header('x-mlgate-version', out.version);
    if (!out.ok) throw out.error;
    return reply.send(out.body);
  });
}
