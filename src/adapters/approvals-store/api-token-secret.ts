/**
 * The API token format both approvals-store adapters share. The plaintext (`mlg_<id>_<secret>`) is
 * shown once; at rest we keep sha256(salt || secret) with a per-token salt. The secret is 32 random
 * bytes, so a fast hash is enough (no password to brute-force); the id makes lookup O(1) without
 * scanning hashes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_RE = /^mlg_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

function hash(salt: string, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret).digest();
}

/** A new token for `user`: the plaintext to show once and the row to store. */
export function newApiToken(user: string): { plaintext: string; id: string; user: string; salt: string; hash: string } {
  if (!user.trim()) throw new Error('user: name the user (an email address) the token is for');
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { plaintext: `mlg_${id}_${secret}`, id, user: user.trim(), salt, hash: hash(salt, secret).toString('hex') };
}

/** The token's id and secret, or null when it is not shaped like one of ours. */
export function parseApiToken(plaintext: string): { id: string; secret: string } | null {
  const m = TOKEN_RE.exec(plaintext.trim());
  return m ? { id: m[1], secret: m[2] } : null;
}

/** True when `secret` matches the stored salted hash (constant time). */
export function secretMatches(stored: { salt: string; hash: string }, secret: string): boolean {
  return timingSafeEqual(hash(stored.salt, secret), Buffer.from(stored.hash, 'hex'));
}
