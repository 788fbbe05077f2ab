/**
 * The serving gateway: a public listener for predictions and `/metrics`, and a separate admin
 * listener (loopback by default, bearer token on every route) for routing, metric windows and faults.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { formatIssues } from '../domain/errors';
import type { ArtifactBundle } from '../domain/model/artifact-bundle';
import type { Routing } from '../domain/routing';
import { createModelRuntime } from '../adapters/model-runtime';
import { createRuntimeCache, type RuntimeCache } from './model-runtime';
import { openFileRoutingStore } from '../adapters/routing-store/file';
import type { RoutingStore } from '../ports/routing-store';
import { createMetricsWindows } from './metrics-window';
import { createGatewayPrometheus } from './prometheus';
import { createFaults } from './faults';
import { registerPredictRoute } from './predict-route';
import { createPredictLane } from './predict-lane';
import { registerAdminRoutes, routedVersions } from './admin-routes';
import { requireAdminToken } from './admin-auth';
import { openSqlitePredictionLog } from '../adapters/prediction-log/sqlite';
import type { PredictionLog } from '../ports/prediction-log';
import { registerReviewRoutes } from './review-routes';
import { registerFeedbackAdminRoutes, registerFeedbackRoute } from './feedback-route';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '../http/http-app';

export interface GatewayOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Keep on loopback unless a trusted network needs it. @default "127.0.0.1" */
  adminHost?: string;
  /** @default 0 */
  adminPort?: number;
  /** Required on every admin route as `Authorization: Bearer <adminToken>` (at least 16 characters). */
  adminToken: string;
  /** Folder for routing.json (the default routing store) and the prediction log. */
  stateDir: string;
  /** Opens the routing store; the composition root passes PostgreSQL's for replicas. @default routing.json in stateDir */
  openRouting?: () => Promise<RoutingStore>;
  /** Opens the prediction log; the composition root passes PostgreSQL's for replicas. @default predictions.sqlite in stateDir */
  openPredictionLog?: () => Promise<PredictionLog>;
  /** How long feedback for an unknown id waits for another replica to write it (replicas only). @default 0 */
  feedbackWaitMs?: number;
  loadBundle: (artifactId: string) => Promise<ArtifactBundle>;
  /** Reads an artifact's model.onnx; needed to serve ONNX artifacts. */
  loadModelFile?: (artifactId: string) => Promise<Uint8Array>;
  /** A pino logger; silent when omitted. */
  logger?: FastifyBaseLogger;
  /** Allows POST/DELETE /admin/faults (drills and benchmarks). @default false */
  faultInjection?: boolean;
  /** How far back metric windows reach, in seconds. @default 300 */
  windowSeconds?: number;
}

const OptionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  adminHost: z.string().min(1).default('127.0.0.1'),
  adminPort: z.number().int().min(0).max(65535).default(0),
  adminToken: z.string().min(16, 'adminToken must be at least 16 characters (e.g. `openssl rand -hex 16`)'),
  stateDir: z.string().min(1, 'stateDir: give a folder for routing.json'),
  faultInjection: z.boolean().default(false),
  windowSeconds: z.number().int().min(10).max(3600).default(300),
  feedbackWaitMs: z.number().int().min(0).max(60_000).default(0),
});

export interface Gateway {
  start(): Promise<{ url: string; adminUrl: string }>;
  stop(): Promise<void>;
}

function urlOf(app: HttpApp): string {
  const a = app.server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}

const PUBLIC_API = 'Predictions, feedback, health and Prometheus metrics. Errors: see docs/http.md.';
const ADMIN_API = 'Routing (compare-and-set), metric windows, fault injection, the review queue and the prediction log. Every route, this document included, needs Authorization: Bearer <admin token>.';

/** fastify's default, named because the predict lane enforces it too. */
const PUBLIC_BODY_LIMIT = 1024 * 1024;

type AppDoc = Pick<HttpAppOptions, 'title' | 'description' | 'bearerOnEveryRoute' | 'lane' | 'fastify'>;

function newApp(logger: FastifyBaseLogger | undefined, doc: AppDoc, routes: (app: HttpApp) => void): HttpApp {
  return createHttpApp({ ...doc, ...(logger ? { logger, onServerError: (err, req) => req.log.error({ err }, 'gateway error') } : {}) }, routes);
}

/**
 * Another replica changed a model's routing: warm its versions (as a PUT here would), expose their
 * metrics, and free runtimes no longer routed. The new routing already serves; warming is best effort.
 */
function followRemoteChange(deps: { routing: RoutingStore; runtimes: RuntimeCache; prom: ReturnType<typeof createGatewayPrometheus> }, model: string, r: Routing): void {
  const versions = [r.stable?.version, r.candidate?.version].filter((v): v is string => !!v);
  for (const v of versions) deps.prom.touch(model, v);
  void Promise.allSettled(versions.map((v) => deps.runtimes.get(v))).then(() => deps.runtimes.retain(routedVersions(deps.routing)));
}

export function createGateway(options: GatewayOptions): Gateway {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid gateway options:\n${formatIssues(parsed.error.issues).join('\n')}`);
  const o = parsed.data;
  let apps: { pub: HttpApp; admin: HttpApp; log: { close(): Promise<void> }; runtimes: RuntimeCache; routing: RoutingStore } | null = null;
  return {
    async start() {
      if (apps) throw new Error('gateway already started');
      const log = await (options.openPredictionLog ?? (async () => openSqlitePredictionLog({ stateDir: o.stateDir })))();
      const routing = await (options.openRouting ?? (() => openFileRoutingStore({ stateDir: o.stateDir })))().catch(async (err: unknown) => {
        await log.close();
        throw err;
      });
      const windows = createMetricsWindows({ seconds: o.windowSeconds });
      const prom = createGatewayPrometheus();
      const faults = createFaults();
      const runtimes = createRuntimeCache({ loadBundle: options.loadBundle, createRuntime: createModelRuntime, ...(options.loadModelFile ? { loadModelFile: options.loadModelFile } : {}) });
      const predict = { routing, runtimes, windows, prom, faults, log };
      const lane = createPredictLane(predict, { bodyLimit: PUBLIC_BODY_LIMIT, ...(options.logger ? { logger: options.logger } : {}) });
      const pub = newApp(options.logger, { title: 'mlgate gateway', description: PUBLIC_API, lane, fastify: { bodyLimit: PUBLIC_BODY_LIMIT } }, (scope) => {
        registerPredictRoute(scope, predict);
        registerFeedbackRoute(scope, { log, feedbackWaitMs: o.feedbackWaitMs });
        scope.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));
        scope.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['metrics'] } }, async (_req, reply) => reply.header('content-type', prom.registry.contentType).send(await prom.registry.metrics()));
      });
      const admin = newApp(options.logger, { title: 'mlgate gateway admin', description: ADMIN_API, bearerOnEveryRoute: true }, (scope) => {
        registerAdminRoutes(scope, { routing, windows, faults, faultInjection: o.faultInjection, runtimes, prom });
        registerFeedbackAdminRoutes(scope, { log });
        registerReviewRoutes(scope, { log });
      });
      requireAdminToken(admin, o.adminToken);
      routing.onRemoteChange((model, r) => followRemoteChange({ routing, runtimes, prom }, model, r));
      // A restart mid-canary must not measure cold loads against the candidate: load every routed version first.
      await Promise.allSettled([...routedVersions(routing)].map((v) => runtimes.get(v)));
      for (const [model, r] of routing.entries()) for (const v of [r.stable?.version, r.candidate?.version]) if (v) prom.touch(model, v);
      await pub.listen({ host: o.host, port: o.port });
      await admin.listen({ host: o.adminHost, port: o.adminPort });
      apps = { pub, admin, log, runtimes, routing };
      return { url: urlOf(pub), adminUrl: urlOf(admin) };
    },
    async stop() {
      if (!apps) return;
      const { pub, admin, log, runtimes, routing } = apps;
      apps = null;
      await Promise.all([pub.close(), admin.close()]);
      await routing.close();
      await log.close();
      await runtimes.close();
    },
  };
}
