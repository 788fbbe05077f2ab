/**
 * One way to build an mlgate HTTP server: fastify with zod schemas on every route (validated by
 * fastify-type-provider-zod), an OpenAPI 3.1 document generated from those schemas and served at
 * `GET /openapi.json` (@fastify/swagger), and the one error handler that answers every failure with
 * the shape in `http-error.ts`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RawServerDefault } from 'fastify';
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatIssues } from '../domain/errors';
import { codeForStatus, ErrorBodySchema, ErrorCode, HttpError } from './http-error';
import { isBackendUnavailable } from './backend-unavailable';

export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface HttpAppOptions {
  /** Title and description of the OpenAPI document. */
  title: string;
  description: string;
  /** A pino logger for fastify's request log; none when omitted. */
  logger?: FastifyBaseLogger;
  /** Extra fastify options (bodyLimit, routerOptions, ...). */
  fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance'>;
  /** Renders an error as an HTML page for the requests that get pages instead of JSON. */
  htmlError?: { applies: (req: FastifyRequest) => boolean; render: (reply: FastifyReply, err: HttpError) => FastifyReply };
  /** Documents that every route needs the bearer token (the gateway's admin listener). */
  bearerOnEveryRoute?: boolean;
  /** Called with every 5xx, which answers with a generic message; the cause goes to the log only. */
  onServerError?: (err: unknown, req: FastifyRequest) => void;
  /**
   * Answers the requests it returns true for straight from node:http, before fastify sees them (the
   * gateway's predict route, see `src/gateway/predict-lane.ts`). Fastify still documents those routes
   * and answers every request the lane passes on.
   */
  lane?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** Responses every route may give, added to each route's documented responses. */
export const ERROR_RESPONSES = { '4XX': ErrorBodySchema, '5XX': ErrorBodySchema } as const;

type ZodIssueLike = { instancePath: string; message: string };

function invalidFrom(issues: ZodIssueLike[], where: string): HttpError {
  return HttpError.invalid(formatIssues(issues.map((v) => ({ path: v.instancePath.split('/').filter(Boolean), message: v.message })), where === 'querystring' ? 'query' : where));
}

/** Validates a request body the way a route's zod schema does: the same 400, word for word, or the parsed value. */
export function validateBody<T extends z.ZodType>(schema: T, data: unknown): { value: z.output<T> } | { error: HttpError } {
  const r = validatorCompiler({ schema, method: 'POST', url: '', httpPart: 'body' })(data) as { value?: z.output<T>; error?: ZodIssueLike[] };
  return r.error ? { error: invalidFrom(r.error, 'body') } : { value: r.value as z.output<T> };
}

/** fastify's error (schema validation, bad JSON, too large, ...) as our HttpError. */
export function toHttpError(err: FastifyError | HttpError): { http: HttpError; serverFault: boolean } {
  if (err instanceof HttpError) return { http: err, serverFault: err.status >= 500 };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError & { validationContext?: string }).validationContext ?? '';
    return { http: invalidFrom(err.validation as unknown as ZodIssueLike[], where), serverFault: false };
  }
  if (isBackendUnavailable(err)) return { http: new HttpError(503, ErrorCode.UNAVAILABLE, `a database mlgate needs is unavailable (${err.message}); retry later`), serverFault: true };
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status >= 500) return { http: new HttpError(500, ErrorCode.INTERNAL, 'internal error; see the server log'), serverFault: true };
  return { http: new HttpError(status, codeForStatus(status), err.message), serverFault: false };
}

export function sendHttpError(reply: FastifyReply, err: HttpError): FastifyReply {
  return reply.code(err.status).type('application/json; charset=utf-8').send(err.body());
}

/** The node:http server fastify would build, with the lane in front of fastify's handler. */
function laneServer(lane: NonNullable<HttpAppOptions['lane']>): FastifyServerOptions['serverFactory'] {
  return (handler, fastifyOpts) => {
    const opts = fastifyOpts as { http?: ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
    const server = createServer(opts.http ?? {}, (req, res) => {
      if (!lane(req, res)) handler(req, res);
    });
    // The settings fastify applies to the server it builds itself.
    if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout;
    if (opts.requestTimeout !== undefined) server.requestTimeout = opts.requestTimeout;
    if (opts.connectionTimeout !== undefined) server.setTimeout(opts.connectionTimeout);
    if (opts.maxRequestsPerSocket) server.maxRequestsPerSocket = opts.maxRequestsPerSocket;
    return server;
  };
}

/**
 * A fastify app with zod validation, `/openapi.json` and the shared error handler. `routes` registers
 * the routes; it runs inside a plugin loaded after swagger's, so that every route is in the document.
 */
export function createHttpApp(o: HttpAppOptions, routes: (app: HttpApp) => void): HttpApp {
  const fastifyOptions = o.lane ? { ...o.fastify, serverFactory: laneServer(o.lane) } : o.fastify;
  const base = o.logger ? Fastify({ ...fastifyOptions, loggerInstance: o.logger }) : Fastify({ ...fastifyOptions, logger: false });
  const app = (base as unknown as FastifyInstance).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; replies are serialized as they are, never re-validated on the hot path.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: o.title, description: o.description, version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (approvals server) or the admin token (gateway admin listener)' } } },
      ...(o.bearerOnEveryRoute ? { security: [{ bearer: [] }] } : {}),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    const { http, serverFault } = toHttpError(err);
    if (serverFault) o.onServerError?.(err, req);
    if (o.htmlError?.applies(req)) return o.htmlError.render(reply, http);
    return sendHttpError(reply, http);
  });
  app.setNotFoundHandler((req, reply) => {
    const http = new HttpError(404, ErrorCode.NOT_FOUND, `no route ${req.method} ${req.url.split('?')[0]}; the routes are listed at GET /openapi.json`);
    if (o.htmlError?.applies(req)) return o.htmlError.render(reply, http);
    return sendHttpError(reply, http);
  });
  app.register(async (scope: HttpApp) => {
    routes(scope);
    scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
  return app;
}
