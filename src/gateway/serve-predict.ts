/**
 * One prediction request, whichever way it arrived (the fastify route or the node:http lane): route
 * by weight (sticky when asked), answer, then mirror to a shadow candidate after the response is on
 * its way. The mirror never touches the caller's answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { chooseRoute, stickyDraw, type RouteChoice, type Routing } from '../domain/routing';
import { ErrorCode, HttpError } from '../http/http-error';
import type { Prediction, Row } from '../domain/model/bundle';
import type { RoutingStore } from '../ports/routing-store';
import type { ModelRuntime, RuntimeCache } from './model-runtime';
import type { MetricsWindows, Observation } from './metrics-window';
import type { GatewayPrometheus } from './prometheus';
import { applyFault, type Faults } from './faults';
import type { PredictionLog } from '../ports/prediction-log';
import { timeOrderedId } from './prediction-id';

export interface PredictDeps {
  routing: RoutingStore;
  runtimes: RuntimeCache;
  windows: MetricsWindows;
  prom: GatewayPrometheus;
  faults: Faults;
  /** Buffered in memory, appended in batches: never a disk write per request. */
  log?: PredictionLog;
}

export interface PredictAnswer {
  predictions: Prediction[];
  version: string;
  predictionIds: string[];
}

/** The answer, or the error to send; `version` goes in the x-mlgate-version header when set. */
export type PredictOutcome = { ok: true; version: string; body: PredictAnswer } | { ok: false; error: HttpError; version?: string };

/** Where a failed prediction is reported (the request's logger). */
export type WarnFn = (fields: Record<string, unknown>, message: string) => void;

/** Runs a loaded version on the rows, with any injected fault. */
async function runOn(deps: PredictDeps, model: string, version: string, runtime: ModelRuntime, rows: Row[]): Promise<Prediction[]> {
  const fault = deps.faults.get(model, version);
  if (fault) await applyFault(fault, Math.random);
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

function stickyKey(routing: Routing, headers: IncomingHttpHeaders): string | null {
  const key = routing.stickyHeader ? headers[routing.stickyHeader.toLowerCase()] : undefined;
  return typeof key === 'string' && key !== '' ? key : null;
}

function drawFor(routing: Routing, headers: IncomingHttpHeaders): number {
  const key = stickyKey(routing, headers);
  return key !== null ? stickyDraw(key) : Math.random();
}

/** The caller's mistakes are a 400 and never count against the version's error rate. */
const invalid = (problems: string[], version: string): PredictOutcome => ({ ok: false, error: HttpError.invalid(problems.map((p) => `body.${p}`), { version }) });

function failed(deps: PredictDeps, model: string, version: string, t0: number, e: unknown, warn: WarnFn): PredictOutcome {
  observe(deps, model, version, { latencyMs: performance.now() - t0, error: true });
  warn({ err: e, model, version }, 'predict failed');
  return { ok: false, version, error: new HttpError(500, ErrorCode.PREDICT_FAILED, (e as Error).message, { details: { version } }) };
}

function answered(deps: PredictDeps, model: string, choice: RouteChoice, rows: Row[], preds: Prediction[], t0: number): PredictOutcome {
  observe(deps, model, choice.serve, { latencyMs: performance.now() - t0, error: false, predictions: preds });
  // setImmediate runs after this turn's I/O, i.e. after the response has been written.
  if (choice.mirror) setImmediate(mirror, deps, model, choice.mirror, rows, preds);
  const id = timeOrderedId();
  const predictionIds = preds.map((_, i) => `${id}:${i}`);
  deps.log?.record(model, choice.serve, predictionIds, rows, preds);
  return { ok: true, version: choice.serve, body: { predictions: preds, version: choice.serve, predictionIds } };
}

/** A loaded runtime without a fault: no promise at all unless the runtime's own predict returns one (ONNX). */
function serveLoaded(deps: PredictDeps, model: string, choice: RouteChoice, runtime: ModelRuntime, rows: Row[], warn: WarnFn, t0: number): PredictOutcome | Promise<PredictOutcome> {
  let preds: Prediction[] | Promise<Prediction[]>;
  try {
    const problems = runtime.check(rows);
    if (problems.length > 0) return invalid(problems, choice.serve);
    preds = runtime.predict(rows);
  } catch (e) {
    return failed(deps, model, choice.serve, t0, e, warn);
  }
  if (Array.isArray(preds)) return answered(deps, model, choice, rows, preds, t0);
  return preds.then((p) => answered(deps, model, choice, rows, p, t0), (e: unknown) => failed(deps, model, choice.serve, t0, e, warn));
}

/** A runtime still loading, or a fault to apply: the same steps, awaited. */
async function serveAwaited(deps: PredictDeps, model: string, choice: RouteChoice, rows: Row[], warn: WarnFn, t0: number): Promise<PredictOutcome> {
  let preds: Prediction[] = [];
  let problems: string[] = [];
  try {
    const runtime = await deps.runtimes.get(choice.serve);
    problems = runtime.check(rows);
    if (problems.length === 0) preds = await runOn(deps, model, choice.serve, runtime, rows);
  } catch (e) {
    return failed(deps, model, choice.serve, t0, e, warn);
  }
  if (problems.length > 0) return invalid(problems, choice.serve);
  return answered(deps, model, choice, rows, preds, t0);
}

/**
 * Answers validated rows for `model`. Never throws: every failure is an outcome with its HttpError.
 * The outcome is returned as is (not in a promise) whenever the version's runtime answers
 * synchronously: each promise is a few microtask hops per request, at the CPU cost of throughput.
 */
export function servePredict(deps: PredictDeps, model: string, rows: Row[], headers: IncomingHttpHeaders, warn: WarnFn): PredictOutcome | Promise<PredictOutcome> {
  const routing = deps.routing.get(model);
  if (routing?.stickyRequired && routing.stickyHeader && !stickyKey(routing, headers)) {
    const h = routing.stickyHeader;
    return { ok: false, error: HttpError.invalid([`headers.${h}: model "${model}" is in an A/B experiment; send header ${h} with a stable user key so the user keeps one arm`]) };
  }
  const choice = routing && chooseRoute(routing, drawFor(routing, headers), Math.random());
  if (!choice) return { ok: false, error: new HttpError(404, ErrorCode.NOT_FOUND, `model "${model}" has no serving version; set its routing with PUT /admin/models/${model}/routing`) };
  const t0 = performance.now();
  const runtime = deps.runtimes.ready(choice.serve);
  if (runtime && !deps.faults.get(model, choice.serve)) return serveLoaded(deps, model, choice, runtime, rows, warn, t0);
  return serveAwaited(deps, model, choice, rows, warn, t0);
}
