/**
 * `POST /v1/models/:model/predict`: route by weight (sticky when asked), answer, then mirror to a
 * shadow candidate after the response is on its way. The mirror never touches the caller's answer.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { chooseRoute, stickyDraw, type Routing } from '../domain/routing';
import { ERROR_RESPONSES, type HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import type { Prediction, Row } from '../domain/model/bundle';
import type { RoutingStore } from '../ports/routing-store';
import type { ModelRuntime, RuntimeCache } from './model-runtime';
import type { MetricsWindows, Observation } from './metrics-window';
import type { GatewayPrometheus } from './prometheus';
import { applyFault, type Faults } from './faults';
import type { PredictionLog } from './prediction-log';

export const MAX_ROWS_PER_REQUEST = 1000;

export const PredictBodySchema = z.object({
  rows: z
    .array(z.record(z.string(), z.unknown(), 'each row is an object of feature name to value'), 'send { "rows": [ { feature: value, ... } ] }')
    .min(1, 'send at least one row')
    .max(MAX_ROWS_PER_REQUEST, `at most ${MAX_ROWS_PER_REQUEST} rows per request; split the batch`),
}, 'send a JSON object { "rows": [ ... ] } with content-type: application/json');
const ParamsSchema = z.object({ model: z.string().min(1) });
const PredictionSchema = z.object({ label: z.string(), score: z.number(), confidence: z.number() });
export const PredictResponseSchema = z.object({
  predictions: z.array(PredictionSchema),
  version: z.string().describe('The artifact id that answered (also in the x-mlgate-version header).'),
  predictionIds: z.array(z.string()).describe('One id per row; send it back with feedback.'),
});

export interface PredictDeps {
  routing: RoutingStore;
  runtimes: RuntimeCache;
  windows: MetricsWindows;
  prom: GatewayPrometheus;
  faults: Faults;
  /** Buffered in memory, appended in batches: never a disk write per request. */
  log?: PredictionLog;
}

/** Runs a loaded version on the rows, with any injected fault. */
async function runOn(deps: PredictDeps, model: string, version: string, runtime: ModelRuntime, rows: Row[]): Promise<Prediction[]> {
  await applyFault(deps.faults.get(model, version), Math.random);
  return runtime.predict(rows);
}

async function runVersion(deps: PredictDeps, model: string, version: string, rows: Row[]): Promise<Prediction[]> {
  return runOn(deps, model, version, await deps.runtimes.get(version), rows);
}

/** One call of `version`, to both metric sinks: the in-memory windows and Prometheus. */
function observe(deps: PredictDeps, model: string, version: string, o: Observation): void {
  deps.windows.record(model, version, o);
  deps.prom.record(model, version, o);
}

function mirror(deps: PredictDeps, model: string, version: string, rows: Row[], stable: Prediction[]): void {
  const t0 = performance.now();
  runVersion(deps, model, version, rows).then(
    (preds) => {
      const agreed = preds.reduce((n, p, i) => n + (p.label === stable[i]?.label ? 1 : 0), 0);
      observe(deps, model, version, { latencyMs: performance.now() - t0, error: false, predictions: preds, shadow: { compared: preds.length, agreed } });
      deps.prom.shadowCall(model, version, agreed === preds.length ? 'agreed' : 'disagreed');
    },
    // Swallowed by design: a shadow failure is evidence about the candidate, never an error for the caller.
    () => {
      observe(deps, model, version, { latencyMs: performance.now() - t0, error: true, shadow: { compared: 0, agreed: 0 } });
      deps.prom.shadowCall(model, version, 'error');
    },
  );
}

function drawFor(routing: Routing, headers: Record<string, unknown>): number {
  const key = routing.stickyHeader ? headers[routing.stickyHeader.toLowerCase()] : undefined;
  return typeof key === 'string' && key !== '' ? stickyDraw(key) : Math.random();
}

export function registerPredictRoute(app: HttpApp, deps: PredictDeps): void {
  app.post('/v1/models/:model/predict', {
    schema: {
      summary: "Predict: routed to the model's stable version or its canary; a shadow candidate is mirrored after the answer",
      tags: ['predict'], params: ParamsSchema, body: PredictBodySchema, response: { 200: PredictResponseSchema, ...ERROR_RESPONSES },
    },
  }, async (req, reply) => {
    const { model } = req.params;
    const routing = deps.routing.get(model);
    const choice = routing && chooseRoute(routing, drawFor(routing, req.headers), Math.random());
    if (!choice) throw new HttpError(404, ErrorCode.NOT_FOUND, `model "${model}" has no serving version; set its routing with PUT /admin/models/${model}/routing`);
    const rows = req.body.rows;
    const t0 = performance.now();
    let preds: Prediction[] = [];
    let problems: string[] = [];
    try {
      // The caller's mistakes are a 400 and never count against the version's error rate.
      const runtime = await deps.runtimes.get(choice.serve);
      problems = runtime.check(rows);
      if (problems.length === 0) preds = await runOn(deps, model, choice.serve, runtime, rows);
    } catch (e) {
      observe(deps, model, choice.serve, { latencyMs: performance.now() - t0, error: true });
      req.log.warn({ err: e, model, version: choice.serve }, 'predict failed');
      reply.header('x-mlgate-version', choice.serve);
      throw new HttpError(500, ErrorCode.PREDICT_FAILED, (e as Error).message, { details: { version: choice.serve } });
    }
    if (problems.length > 0) throw HttpError.invalid(problems.map((p) => `body.${p}`), { version: choice.serve });
    observe(deps, model, choice.serve, { latencyMs: performance.now() - t0, error: false, predictions: preds });
    // setImmediate runs after this turn's I/O, i.e. after the response has been written.
    if (choice.mirror) setImmediate(mirror, deps, model, choice.mirror, rows, preds);
    const id = randomUUID();
    const predictionIds = preds.map((_, i) => `${id}:${i}`);
    deps.log?.record(model, choice.serve, predictionIds, rows, preds);
    return reply.header('x-mlgate-version', choice.serve).send({ predictions: preds, version: choice.serve, predictionIds });
  });
}
