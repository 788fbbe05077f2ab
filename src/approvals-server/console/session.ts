/**
 * The console's session: a stateless cookie `mlgate_session` holding who signed in and until when,
 * signed (HMAC) by @fastify/cookie, HttpOnly, SameSite=Strict. The expiry inside the signed value
 * is what counts, so a cookie kept past its Max-Age is refused too. A revoked API token does not end
 * the sessions it opened; they end at their expiry (documented in the README).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export const SESSION_COOKIE = 'mlgate_session';

const SessionSchema = z.object({ user: z.string().min(1), exp: z.number().int() });
export type Session = z.infer<typeof SessionSchema>;

export type SessionOptions = {
  /** How long a session lasts. @default 8 hours */
  ttlMs: number;
  /** Send the cookie only over HTTPS (set when the public URL is https). */
  secure: boolean;
  now: () => Date;
};

export function startSession(reply: FastifyReply, user: string, o: SessionOptions): void {
  const exp = o.now().getTime() + o.ttlMs;
  const value = Buffer.from(JSON.stringify({ user, exp })).toString('base64url');
  reply.setCookie(SESSION_COOKIE, value, { signed: true, httpOnly: true, sameSite: 'strict', secure: o.secure, path: '/', maxAge: Math.floor(o.ttlMs / 1000) });
}

export function endSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The signed-in user, or null for no, forged, malformed or expired sessions. */
export function readSession(req: FastifyRequest, now: Date): Session | null {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const s = SessionSchema.safeParse(JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')));
    return s.success && s.data.exp > now.getTime() ? s.data : null;
  } catch {
    return null;
  }
}
