/**
 * Who is signed in, for console routes. Pages without a valid session redirect to the sign-in
 * page; actions answer 401 and change nothing; actions with a session but without the form's
 * CSRF token answer 403 (the csrf plugin) before their body is even validated.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../http/http-app';
import { ErrorCode, HttpError } from '../../http/http-error';
import type { Viewer } from '../views/console-layout';
import { readSession } from './session';

const users = new WeakMap<FastifyRequest, string>();

export type ConsoleAuth = {
  /** preHandler for pages: redirect to /sign-in without a session. */
  page(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** preValidation for form posts: 401 without a session, then the CSRF check. */
  action: Array<(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void>;
  /** The signed-in person and a fresh CSRF token for the page's forms. */
  viewer(req: FastifyRequest, reply: FastifyReply): Viewer;
};

export function createConsoleAuth(app: HttpApp, now: () => Date): ConsoleAuth {
  return {
    async page(req, reply) {
      const s = readSession(req, now());
      if (s) {
        users.set(req, s.user);
        return undefined;
      }
      return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
    },
    action: [
      (req, _reply, done) => {
        const s = readSession(req, now());
        if (!s) return done(new HttpError(401, ErrorCode.UNAUTHORIZED, 'Sign in first: your session is missing or has expired. Nothing was changed.'));
        users.set(req, s.user);
        done();
      },
      (req, reply, done) => app.csrfProtection(req, reply, done),
    ],
    viewer(req, reply) {
      const user = users.get(req);
      if (!user) throw new Error('console route without the auth hook');
      return { user, csrf: reply.generateCsrf() };
    },
  };
}
