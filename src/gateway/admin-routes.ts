/** The admin API (its own listener): routing read/write with compare-and-set, metric windows, fault injection. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { RoutingInputSchema } from '../domain/routing';
import { formatIssues } from '../domain/errors';
import type { RoutingStore } from './routing-store';
import type { MetricsWindows } from './metrics-window';
import type { RuntimeCache } from './model-runtime';
import { FaultSchema, type Faults } from './faults';

export const RoutingPutBodySchema = RoutingInputSchema.extend({
  /** Compare-and-set: apply only when the current generation is this (0 = never routed). */
  expectedGeneration: z.number().int().nonnegative().optional(),
});

const ModelParams = z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'model ids use lowercase letters, digits and dashes') });
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

function invalid(reply: FastifyReply, where: string, issues: z.core.$ZodIssue[]) {
  return reply.code(400).send({ error: 'InvalidInput', problems: formatIssues(issues, where) });
}

function registerRoutingRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/admin/models/:model/routing', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const routing = deps.routing.get(p.data.model);
    if (!routing) return reply.code(404).send({ error: 'NotFound', message: `model "${p.data.model}" has no routing yet` });
    return routing;
  });
  app.put('/admin/models/:model/routing', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const body = RoutingPutBodySchema.safeParse(req.body);
    if (!body.success) return invalid(reply, 'body', body.error.issues);
    const { expectedGeneration, ...input } = body.data;
    await warmVersions(deps.runtimes, input);
    const r = await deps.routing.set(p.data.model, input, expectedGeneration);
    // A version no model routes to any more gives its runtime (an ONNX session) back.
    deps.runtimes?.retain(routedVersions(deps.routing));
    if (r.status === 'conflict') return reply.code(409).send({ error: 'Conflict', message: `expectedGeneration ${expectedGeneration} but routing is at ${r.current?.generation ?? 0}; GET it and retry`, current: r.current });
    return { routing: r.routing, changed: r.changed };
  });
}

function registerFaultRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const disabled = (reply: FastifyReply) => reply.code(403).send({ error: 'Forbidden', message: 'fault injection is disabled on this gateway; start it with faultInjection enabled (drills and benchmarks only)' });
  app.post('/admin/faults', async (req, reply) => {
    if (!deps.faultInjection) return disabled(reply);
    const body = FaultSchema.safeParse(req.body);
    if (!body.success) return invalid(reply, 'body', body.error.issues);
    deps.faults.set(body.data);
    return { faults: deps.faults.list() };
  });
  app.delete('/admin/faults', async (req, reply) => {
    if (!deps.faultInjection) return disabled(reply);
    const q = z.object({ model: z.string().optional() }).safeParse(req.query);
    if (!q.success) return invalid(reply, 'query', q.error.issues);
    deps.faults.clear(q.data.model);
    return { faults: deps.faults.list() };
  });
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  registerRoutingRoutes(app, deps);
  registerFaultRoutes(app, deps);
  app.get('/admin/models/:model/metrics', async (req, reply) => {
    const p = ModelParams.safeParse(req.params);
    if (!p.success) return invalid(reply, 'params', p.error.issues);
    const q = WindowQuerySchema.safeParse(req.query);
    if (!q.success) return invalid(reply, 'query', q.error.issues);
    return deps.windows.summary(p.data.model, { windowMs: q.data.windowMs, sinceMs: q.data.since });
  });
}
