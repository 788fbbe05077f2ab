/** Bearer-token check for the admin listener, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';

// Hashing both sides first gives equal-length buffers, so the comparison leaks neither content nor length.
const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

/** Every route of the app, `/openapi.json` included, needs the token: the admin listener shows nothing to strangers. */
export function requireAdminToken(app: HttpApp, token: string): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!tokenMatches(req.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpError(401, ErrorCode.UNAUTHORIZED, 'send Authorization: Bearer <admin token>');
    }
  });
}
