/** Bearer-token check for the admin listener, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

// Hashing both sides first gives equal-length buffers, so the comparison leaks neither content nor length.
const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

export function requireAdminToken(app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!tokenMatches(req.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: 'send Authorization: Bearer <admin token>' });
    }
  });
}
