/**
 * One way to build an mlgate HTTP server: fastify with zod schemas on every route (validated by
 * fastify-type-provider-zod), an OpenAPI 3.1 document generated from those schemas and served at
 * `GET /openapi.json` (@fastify/swagger), and the one error handler that answers every failure with
 * the shape in `http-error.ts`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatIssues } from '../domain/errors';
import { codeForStatus, ErrorBodySchema, ErrorCode, HttpError } from './http-error';

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
}

/** Responses every route may give, added to each route's documented responses. */
export const ERROR_RESPONSES = { '4XX': ErrorBodySchema, '5XX': ErrorBodySchema } as const;

type ZodIssueLike = { instancePath: string; message: string };

/** fastify's error (schema validation, bad JSON, too large, ...) as our HttpError. */
export function toHttpError(err: FastifyError | HttpError): { http: HttpError; serverFault: boolean } {
  if (err instanceof HttpError) return { http: err, serverFault: err.status >= 500 };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError & { validationContext?: string }).validationContext ?? '';
    const issues = (err.validation as unknown as ZodIssueLike[]).map((v) => ({ path: v.instancePath.split('/').filter(Boolean), message: v.message }));
    return { http: HttpError.invalid(formatIssues(issues, where === 'querystring' ? 'query' : where)), serverFault: false };
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status >= 500) return { http: new HttpError(500, ErrorCode.INTERNAL, 'internal error; see the server log'), serverFault: true };
  return { http: new HttpError(status, codeForStatus(status), err.message), serverFault: false };
}

export function sendHttpError(reply: FastifyReply, err: HttpError): FastifyReply {
  return reply.code(err.status).type('application/json; charset=utf-8').send(err.body());
}

/**
 * A fastify app with zod validation, `/openapi.json` and the shared error handler. `routes` registers
 * the routes; it runs inside a plugin loaded after swagger's, so that every route is in the document.
 */
export function createHttpApp(o: HttpAppOptions, routes: (app: HttpApp) => void): HttpApp {
  const base = o.logger ? Fastify({ ...o.fastify, loggerInstance: o.logger }) : Fastify({ ...o.fastify, logger: false });
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
