/** The admin API (its own listener): routing read/write with compare-and-set, metric windows, fault injection. */
import { z } from 'zod';
import { ModelParamsSchema } from './route-params';
import { WindowSummarySchema } from '../domain/analysis/window-summary';
import { RoutingInputSchema, RoutingSchema } from '../domain/routing';
import { ERROR_RESPONSES, type HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import type { RoutingStore } from '../ports/routing-store';
import type { MetricsWindows } from './metrics-window';
import type { RuntimeCache } from './model-runtime';
import { FaultSchema, type Faults } from './faults';
import type { GatewayPrometheus } from './prometheus';

export const RoutingPutBodySchema = RoutingInputSchema.extend({
  /** Compare-and-set: apply only when the current generation is this (0 = never routed). */
  expectedGeneration: z.number().int().nonnegative().optional(),
});

const RoutingChangeSchema = z.object({ routing: RoutingSchema, changed: z.boolean() });
const FaultListSchema = z.object({ faults: z.array(FaultSchema) });
const ModelParams = ModelParamsSchema;
const WindowQuerySchema = z.object({
  windowMs: z.coerce.number().int().positive('windowMs must be a positive number of milliseconds').default(60_000),
  since: z.coerce.number().int().nonnegative('since is an epoch time in milliseconds').optional(),
});

export interface AdminDeps {
  routing: RoutingStore;
  windows: MetricsWindows;
  faults: Faults;
  faultInjection: boolean;
  /** Versions are loaded before a routing change takes effect. @default no warm-up */
  runtimes?: RuntimeCache;
  /** Routed versions' Prometheus series start at 0 (see GatewayPrometheus.touch). */
  prom?: GatewayPrometheus;
}

/**
 * Loads the versions a routing names before it takes effect, so a new canary's first requests do
 * not wait for its artifact to load: that cold start was measured against the candidate and rolled
 * healthy canaries back on p99. Best effort: a version that fails to load still fails on predict, as before.
 */
async function warmVersions(runtimes: RuntimeCache | undefined, input: { stable: { version: string } | null; candidate?: { version: string } }): Promise<void> {
  if (!runtimes) return;
  const versions = [input.stable?.version, input.candidate?.version].filter((v): v is string => !!v);
  await Promise.allSettled(versions.map((v) => runtimes.get(v)));
}

/** Every version some model's routing serves or mirrors. */
export function routedVersions(routing: RoutingStore): Set<string> {
  return new Set(routing.all().flatMap((r) => [r.stable?.version, r.candidate?.version]).filter((v): v is string => !!v));
}

function registerRoutingRoutes(app: HttpApp, deps: AdminDeps): void {
  app.get('/admin/models/:model/routing', {
    schema: { summary: "A model's routing: the stable version and any canary or shadow candidate", tags: ['routing'], params: ModelParams, response: { 200: RoutingSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    const routing = deps.routing.get(req.params.model);
    if (!routing) throw new HttpError(404, ErrorCode.NOT_FOUND, `model "${req.params.model}" has no routing yet`);
    return routing;
  });
  app.put('/admin/models/:model/routing', {
    schema: { summary: 'Set the routing (compare-and-set with expectedGeneration)', tags: ['routing'], params: ModelParams, body: RoutingPutBodySchema, response: { 200: RoutingChangeSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    const { expectedGeneration, ...input } = req.body;
    await warmVersions(deps.runtimes, input);
    for (const v of [input.stable?.version, input.candidate?.version]) if (v) deps.prom?.touch(req.params.model, v);
    const r = await deps.routing.set(req.params.model, input, expectedGeneration);
    // A version no model routes to any more gives its runtime (an ONNX session) back.
    deps.runtimes?.retain(routedVersions(deps.routing));
    if (r.status === 'conflict') {
      throw new HttpError(409, ErrorCode.CONFLICT, `expectedGeneration ${expectedGeneration} but routing is at ${r.current?.generation ?? 0}; GET it and retry`, { details: { current: r.current ?? null } });
    }
    return { routing: r.routing, changed: r.changed };
  });
}

function registerFaultRoutes(app: HttpApp, deps: AdminDeps): void {
  const enabled = () => {
    if (!deps.faultInjection) throw new HttpError(403, ErrorCode.FORBIDDEN, 'fault injection is disabled on this gateway; start it with faultInjection enabled (drills and benchmarks only)');
  };
  app.post('/admin/faults', {
    schema: { summary: 'Inject a fault (latency, errors) into one version; drills and benchmarks only', tags: ['faults'], body: FaultSchema, response: { 200: FaultListSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    enabled();
    deps.faults.set(req.body);
    return { faults: deps.faults.list() };
  });
  app.delete('/admin/faults', {
    schema: { summary: "Clear the faults (one model's, or all)", tags: ['faults'], querystring: z.object({ model: z.string().optional() }), response: { 200: FaultListSchema, ...ERROR_RESPONSES } },
  }, async (req) => {
    enabled();
    deps.faults.clear(req.query.model);
    return { faults: deps.faults.list() };
  });
}

export function registerAdminRoutes(app: HttpApp, deps: AdminDeps): void {
  registerRoutingRoutes(app, deps);
  registerFaultRoutes(app, deps);
  app.get('/admin/models/:model/metrics', {
    schema: { summary: 'Latency, errors, predictions and shadow agreement per version over a recent window', tags: ['metrics'], params: ModelParams, querystring: WindowQuerySchema, response: { 200: WindowSummarySchema, ...ERROR_RESPONSES } },
  }, async (req) => deps.windows.summary(req.params.model, { windowMs: req.query.windowMs, sinceMs: req.query.since }));
}
