/**
 * The console: sign-in, the pages (Releases, Release, Model, My gates), their live streams and the
 * audit download. Actions are in `console-actions.ts`. Everything is server-rendered and escaped;
 * `/console.js` only swaps in fragments the server rendered.
 */
import cookie from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import csrf from '@fastify/csrf-protection';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ReleaseFiltersSchema } from '../../domain/audit/releases-query';
import type { HttpApp } from '../../http/http-app';
import { ErrorCode, HttpError } from '../../http/http-error';
import type { ConsolePorts } from '../../ports/console';
import type { ServerDeps } from '../server-deps';
import { renderMyGatesPage, renderReleasesPage, renderReleasesTable, renderSignInPage } from '../views/console-lists';
import { releaseFragments, renderReleasePage } from '../views/console-release';
import { renderModelPage } from '../views/console-model';
import { registerConsoleActions, DONE_NOTICES, DoneSchema } from './console-actions';
import { createConsoleAuth } from './console-auth';
import { CONSOLE_SCRIPT } from './console-script';
import { createLiveStreams } from './live-stream';
import { ModelParams, ReleaseParams } from './console-params';
import { endSession, startSession } from './session';
import { renderAuditCheckPage } from '../views/console-layout';
import { addWindow, renderLiveTraffic, type TrafficSample } from '../views/console-traffic';

/** The live charts plot the gateway's last 10 s per version, once per tick. */
const TRAFFIC_WINDOW_MS = 10_000;

export type ConsoleOptions = {
  ports: ConsolePorts;
  /** Demo users offered a token-free sign-in. Only `mlgate dev` sets this. @default [] */
  devUsers?: string[];
  /** @default 8 hours */
  sessionTtlMs?: number;
  /** Mark cookies Secure (the public URL is https). @default false */
  secureCookies?: boolean;
  /** How often live pages re-render. @default 1000 */
  liveIntervalMs?: number;
  onError?: (err: unknown) => void;
};

const HTML = { content: { 'text/html': { schema: z.string() } } };
const PAGE = { 200: { description: 'An HTML page', ...HTML }, '4XX': { description: 'The refusal as an HTML page', ...HTML } };
const TAGS = ['console'];
/** Form and query fields left empty mean "not given". */
const dropEmpty = (v: unknown) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')) : v);
export const FiltersQuery = z.preprocess(dropEmpty, ReleaseFiltersSchema.extend({ limit: ReleaseFiltersSchema.shape.limit.default(50) }));
const NextSchema = z.string().regex(/^\/(?!\/)[^\s\\]*$/, 'a path on this server, such as /releases').max(500).default('/');
const SignInBody = z.preprocess(dropEmpty, z.object({
  _csrf: z.string().describe('The CSRF token of the form'),
  token: z.string().max(200).optional().describe('An API token from `mlgate token create`'),
  devUser: z.string().optional().describe('A demo user (mlgate dev only)'),
  next: NextSchema,
}));

/** A key of its own for the cookie signatures, derived from the server secret. */
function cookieSecret(secret: string): string {
  return createHmac('sha256', secret).update('mlgate console cookies').digest('base64url');
}

export async function registerConsole(app: HttpApp, deps: ServerDeps, o: ConsoleOptions): Promise<void> {
  await app.register(cookie, { secret: cookieSecret(deps.secret) });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: o.secureCookies ?? false, path: '/' },
    getToken: (req) => (req.body as { _csrf?: string } | undefined)?._csrf,
  });
  const auth = createConsoleAuth(app, deps.now);
  const live = createLiveStreams({ intervalMs: o.liveIntervalMs ?? 1000, onError: (err) => o.onError?.(err) });
  app.addHook('onClose', async () => live.closeAll());
  const session = { ttlMs: o.sessionTtlMs ?? 8 * 3600_000, secure: o.secureCookies ?? false, now: deps.now };
  const devUsers = o.devUsers ?? [];
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');

  app.get('/console.js', { schema: { hide: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(CONSOLE_SCRIPT));

  app.get('/sign-in', { schema: { summary: 'Console: the sign-in page (API token, or a demo user under mlgate dev)', tags: TAGS, querystring: z.object({ next: NextSchema }), response: PAGE } }, async (req, reply) =>
    html(reply).send(renderSignInPage({ csrf: reply.generateCsrf(), next: req.query.next, devUsers })));

  app.post('/sign-in', {
    schema: { summary: 'Console: exchange an API token for a session cookie (HttpOnly, SameSite=Strict, expiring)', tags: TAGS, consumes: ['application/x-www-form-urlencoded'], body: SignInBody, response: PAGE },
    preValidation: (req, reply, done) => app.csrfProtection(req, reply, done),
  }, async (req, reply) => {
    const b = req.body;
    const user = b.devUser !== undefined ? devUsers.find((u) => u === b.devUser) : b.token ? await deps.store.apiTokens.authenticate(b.token) : null;
    if (!user) {
      const error = b.devUser !== undefined ? 'body.devUser: this server offers no such demo sign-in' : 'body.token: the API token is unknown or revoked';
      return html(reply.code(401)).send(renderSignInPage({ csrf: reply.generateCsrf(), next: b.next, devUsers, error }));
    }
    startSession(reply, user, session);
    return reply.redirect(b.next, 303);
  });

  app.post('/sign-out', { schema: { summary: 'Console: end the session', tags: TAGS, consumes: ['application/x-www-form-urlencoded'], body: z.object({ _csrf: z.string() }) }, preValidation: auth.action }, async (_req, reply) => {
    endSession(reply);
    return reply.redirect('/sign-in', 303);
  });

  app.get('/', { schema: { summary: 'Console: releases, filtered by model, stage, outcome and time (visibility); updates live', tags: TAGS, querystring: FiltersQuery, response: PAGE }, preHandler: auth.page }, async (req, reply) => {
    const rows = await o.ports.listReleases(req.query);
    const qs = new URLSearchParams(Object.entries(req.query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return html(reply).send(renderReleasesPage({ viewer: auth.viewer(req, reply), filters: req.query, rows, live: `/live/releases?${qs}` }));
  });

  app.get('/live/releases', { schema: { summary: 'Console: server-sent events with the releases table', tags: TAGS, querystring: FiltersQuery }, preHandler: auth.page }, async (req, reply) => {
    live.open(req, reply, async () => ({ releases: renderReleasesTable(await o.ports.listReleases(req.query)) }));
  });

  app.get('/my-gates', { schema: { summary: 'Console: the open gates waiting on the signed-in person', tags: TAGS, response: PAGE }, preHandler: auth.page }, async (req, reply) => {
    const viewer = auth.viewer(req, reply);
    return html(reply).send(renderMyGatesPage({ viewer, pending: await deps.readRelease.listPending(viewer.user) }));
  });

  const mustStatus = async (id: string) => {
    const s = await o.ports.status(id);
    if (!s) throw new HttpError(404, ErrorCode.NOT_FOUND, `release ${id} not found`);
    return s;
  };

  app.get('/releases/:id', { schema: { summary: 'Console: one release, live', tags: TAGS, params: ReleaseParams, querystring: z.object({ done: DoneSchema.optional() }), response: PAGE }, preHandler: auth.page }, async (req, reply) => {
    const status = await mustStatus(req.params.id);
    const notice = req.query.done ? DONE_NOTICES[req.query.done] : undefined;
    return html(reply).send(renderReleasePage({ status, viewer: auth.viewer(req, reply), now: deps.now(), ...(notice ? { notice } : {}) }));
  });

  app.get('/releases/:id/live', { schema: { summary: 'Console: server-sent events with the changing parts of a release page', tags: TAGS, params: ReleaseParams }, preHandler: auth.page }, async (req, reply) => {
    await mustStatus(req.params.id);
    const viewer = auth.viewer(req, reply);
    const samples: TrafficSample[] = [];
    const began = deps.now().getTime();
    live.open(req, reply, async () => {
      const s = await mustStatus(req.params.id);
      const now = deps.now();
      const window = s.outcome ? null : await o.ports.trafficWindow(s.model, TRAFFIC_WINDOW_MS);
      if (window) addWindow(samples, window, (now.getTime() - began) / 1000);
      return { ...releaseFragments(s, viewer, now), 'live-traffic': renderLiveTraffic(samples, s.artifactId) };
    });
  });

  app.get('/releases/:id/audit.json', { schema: { summary: 'Console: the sealed audit record of a release, as a download', tags: TAGS, params: ReleaseParams }, preHandler: auth.page }, async (req, reply) => {
    const record = await o.ports.auditRecord(req.params.id);
    return reply.header('content-disposition', `attachment; filename="${req.params.id.replace(/[^\w.-]/g, '_')}-audit.json"`).type('application/json; charset=utf-8').send(JSON.stringify(record, null, 2));
  });

  app.get('/releases/:id/audit/verify', { schema: { summary: 'Console: rebuild the audit record and verify its digests against the workflow histories', tags: TAGS, params: ReleaseParams, response: PAGE }, preHandler: auth.page }, async (req, reply) => {
    const check = await o.ports.verifyAudit(req.params.id);
    return html(reply).send(renderAuditCheckPage({ viewer: auth.viewer(req, reply), releaseId: req.params.id, check }));
  });

  app.get('/models/:model', { schema: { summary: 'Console: a model: routing, aliases, production timeline, versions, monitor with drift and SLO charts and alerts, review queue, rollback', tags: TAGS, params: ModelParams, querystring: z.object({ done: DoneSchema.optional() }), response: PAGE }, preHandler: auth.page }, async (req, reply) => {
    const model = await o.ports.model(req.params.model);
    const notice = req.query.done ? DONE_NOTICES[req.query.done] : undefined;
    return html(reply).send(renderModelPage({ model, viewer: auth.viewer(req, reply), ...(notice ? { notice } : {}) }));
  });

  registerConsoleActions(app, deps, o.ports, auth);
}
