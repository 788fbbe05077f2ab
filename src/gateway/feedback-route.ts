/**
 * `POST /v1/models/:model/feedback` (public listener): observed outcomes and KPI values for earlier
 * predictions, by prediction id, whenever they arrive (days later is fine: they are joined with
 * the prediction log). All items are checked first; one unknown id rejects the batch, storing nothing.
 * `GET /admin/models/:model/feedback` (admin): label tallies per version for the KPI verdict;
 * `GET /admin/models/:model/labelled` (admin): kept inputs with their observed outcome, for the next snapshot.
 *
 * With replicas on one PostgreSQL log, a prediction answered by replica A reaches the database with
 * A's next batch (every 250 ms). Feedback that reaches replica B first would find no such id, so
 * unknown ids are re-read for up to `feedbackWaitMs` before the batch is refused; the 404 then says
 * to retry if the id was just answered. A database outage answers 503 UNAVAILABLE: nothing stored,
 * retry (reads get the same 503 from the one error handler, `isBackendUnavailable`).
 */
import { z } from 'zod';
import { ERROR_RESPONSES, type HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import { LabelledRowSchema, TallySchema } from '../ports/monitor-gateway';
import type { PredictionLog } from '../ports/prediction-log';
import { isBackendUnavailable } from '../http/backend-unavailable';

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

export interface FeedbackDeps {
  log: PredictionLog;
  /** How long unknown ids are re-read (another replica may not have written them yet). @default 0 */
  feedbackWaitMs?: number;
}

/** Pause between re-reads while waiting for another replica's batch. */
const REREAD_MS = 100;

/** The log's answer, or 503 when its database is down: the caller may retry, nothing was stored. Other errors stay 500s. */
export async function orUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isBackendUnavailable(err)) throw err;
    throw new HttpError(503, ErrorCode.UNAVAILABLE, `the prediction log is unavailable (${(err as Error).message}); nothing was stored, retry later`);
  }
}

/** Ids still unknown after re-reading until the deadline. */
async function unknownIds(deps: FeedbackDeps, model: string, ids: string[]): Promise<string[]> {
  const deadline = Date.now() + (deps.feedbackWaitMs ?? 0);
  let missing = ids;
  for (;;) {
    const known = await orUnavailable(() => deps.log.find(model, missing));
    missing = missing.filter((id) => !known.has(id));
    if (missing.length === 0 || Date.now() >= deadline) return missing;
    await new Promise((r) => setTimeout(r, REREAD_MS));
  }
}

export function registerFeedbackRoute(pub: HttpApp, deps: FeedbackDeps): void {
  pub.post('/v1/models/:model/feedback', {
    schema: {
      summary: 'Observed outcomes and KPI values for earlier predictions, by prediction id (one unknown id rejects the batch)',
      tags: ['feedback'], params: ModelParams, body: FeedbackBodySchema, response: { 200: z.object({ accepted: z.number().int() }), ...ERROR_RESPONSES },
    },
  }, async (req) => {
    const { model } = req.params;
    const items = req.body.feedback;
    const missing = new Set(await unknownIds(deps, model, [...new Set(items.map((i) => i.predictionId))]));
    const unknown = items.map((it, i) => ({ it, i })).filter(({ it }) => missing.has(it.predictionId));
    if (unknown.length > 0) {
      const problems = unknown.slice(0, 20).map(({ it, i }) => `body.feedback.${i}.predictionId: "${it.predictionId}" is not a logged prediction of ${model}; use an id returned by /predict`);
      const retry = deps.feedbackWaitMs ? ' (an id another gateway replica answered moments ago may not be written yet: retry in a few seconds)' : '';
      throw new HttpError(404, ErrorCode.NOT_FOUND, `${unknown.length} of ${items.length} prediction id(s) are unknown; nothing was stored${retry}`, { problems });
    }
    await orUnavailable(() => deps.log.addFeedback(model, items.map((it) => ({ predictionId: it.predictionId, ...(it.outcome !== undefined ? { outcome: String(it.outcome) } : {}), ...(it.kpi !== undefined ? { kpi: it.kpi } : {}), source: 'api' as const }))));
    return { accepted: items.length };
  });
}

export function registerFeedbackAdminRoutes(admin: HttpApp, deps: { log: PredictionLog }): void {
  admin.get('/admin/models/:model/feedback', {
    schema: {
      summary: 'Label and KPI tallies per version (the online KPI verdict and the A/B experiment read them)', tags: ['feedback'], params: ModelParams,
      querystring: z.object({ since: z.coerce.number().int().nonnegative('since: a time in ms since the epoch').optional() }),
      response: { 200: z.object({ versions: z.array(TallySchema) }), ...ERROR_RESPONSES },
    },
  }, async (req) => ({ versions: await orUnavailable(() => deps.log.tallies(req.params.model, { ...(req.query.since !== undefined ? { since: req.query.since } : {}) })) }));
  admin.get('/admin/models/:model/labelled', {
    schema: {
      summary: 'Kept inputs with their observed outcome, for the next data snapshot', tags: ['feedback'], params: ModelParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000) }), response: { 200: z.object({ rows: z.array(LabelledRowSchema) }), ...ERROR_RESPONSES },
    },
  }, async (req) => ({ rows: await deps.log.labelled(req.params.model, req.query.limit) }));
}
