/**
 * The approvals server: signed-link pages and the JSON API in front of the release workflows.
 * Listens on 127.0.0.1 unless told otherwise.
 */
import type { Logger } from 'pino';
import { createHttpApp, type HttpApp } from '../http/http-app';
import type { DecisionPort, ReleaseReader } from '../ports/decisions';
import { registerApiRoutes, registerOperationRoutes } from './routes/api-routes';
import { registerLinkRoutes, sendLinkError } from './routes/link-routes';
import type { ServerDeps } from './server-deps';
import type { ApprovalsStore } from '../ports/approvals-store';
import { registerConsole, type ConsoleOptions } from './console/console-routes';
import { renderConsoleError } from './views/console-layout';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpError } from '../http/http-error';

export type ApprovalsServerOptions = {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Base URL people reach the server at (used in emailed links). @default the listening URL */
  publicUrl?: string;
  /** HMAC secret for approval links, at least 32 bytes. */
  secret: string;
  store: ApprovalsStore;
  decide: DecisionPort;
  readRelease: ReleaseReader;
  logger?: Logger;
  /** Clock for link expiry; tests pass their own. @default () => new Date() */
  now?: () => Date;
  /** Serve the web console at `/` (sign-in, pages, actions). @default off: the API and links only */
  console?: ConsoleOptions;
};

export type ApprovalsServer = {
  start(): Promise<{ url: string; publicUrl: string }>;
  stop(): Promise<void>;
  app: HttpApp;
};

/** Security headers: approval pages carry a credential in their URL, so never leak it via Referer or caches. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** The console runs its own script (/console.js) and its live streams; still nothing from elsewhere. */
const CONSOLE_HEADERS = {
  ...PAGE_HEADERS,
  'content-security-policy': "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const isJsonRoute = (req: FastifyRequest) => req.url.startsWith('/api/') || req.url.startsWith('/openapi.json');

function sendPageError(reply: FastifyReply, err: HttpError): FastifyReply {
  if (reply.request.url.startsWith('/approve/')) return sendLinkError(reply, err);
  return reply.code(err.status).type('text/html; charset=utf-8').send(renderConsoleError({ status: err.status, code: err.code, message: err.message, ...(err.problems ? { problems: err.problems } : {}) }));
}

export function createApprovalsServer(o: ApprovalsServerOptions): ApprovalsServer {
  const host = o.host ?? '127.0.0.1';
  // Fastify's own request logging stays off: URLs contain approval tokens, which must not end
  // up in logs. Tokens are ~250 characters, beyond the router's default 100-character params.
  const deps: ServerDeps = {
    secret: o.secret,
    store: o.store,
    decide: o.decide,
    readRelease: o.readRelease,
    now: o.now ?? (() => new Date()),
    logRefusal: async (r) => {
      const record = { at: deps.now().toISOString(), who: r.approver, releaseId: r.releaseId, runId: r.runId, gate: r.gate, channel: r.channel, code: r.code, reason: r.reason };
      await o.store.refused.record(record);
      o.logger?.warn(record, 'decision refused');
    },
  };
  const app = createHttpApp({
    title: 'mlgate approvals server',
    description: 'The JSON API for approval decisions (bearer API token), the signed-link pages emailed to approvers (GET shows the evidence, POST decides), and the web console at / (a session cookie from an API token; every form carries a CSRF token). Errors: see docs/http.md.',
    fastify: { bodyLimit: 64 * 1024, routerOptions: { maxParamLength: 2048 } },
    htmlError: { applies: (req) => req.url.startsWith('/approve/') || (Boolean(o.console) && !isJsonRoute(req)), render: sendPageError },
    onServerError: (err, req) => o.logger?.error({ err, route: req.routeOptions.url }, 'approvals server error'),
  }, (scope) => {
    registerApiRoutes(scope, deps);
    registerLinkRoutes(scope, deps);
    const consoleOptions = o.console;
    if (consoleOptions) registerOperationRoutes(scope, deps, consoleOptions.ports);
    if (consoleOptions) scope.register(async (c: HttpApp) => registerConsole(c, deps, { onError: (err) => o.logger?.error({ err }, 'console live stream'), ...consoleOptions }));
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addHook('onSend', async (req, reply) => {
    reply.headers(o.console && !req.url.startsWith('/approve/') ? CONSOLE_HEADERS : PAGE_HEADERS);
  });

  let publicUrl = o.publicUrl;
  return {
    app,
    async start() {
      await app.listen({ host, port: o.port ?? 0 });
      const addr = app.server.address();
      if (!addr || typeof addr === 'string') throw new Error('approvals server did not bind a TCP port');
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
      publicUrl = publicUrl ?? url;
      o.logger?.info({ url, publicUrl }, 'approvals server listening');
      return { url, publicUrl };
    },
    stop: () => app.close(),
  };
}
