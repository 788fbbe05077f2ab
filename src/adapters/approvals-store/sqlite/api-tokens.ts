/**
 * Per-user API tokens. The plaintext (`mlg_<id>_<secret>`) is shown once; at rest we keep
 * sha256(salt || secret) with a per-token salt. The secret is 32 random bytes, so a fast hash
 * is enough (no password to brute-force); the id makes lookup O(1) without scanning hashes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApprovalsDb } from './approvals-db';
import type { ApiTokenStore } from '../../../ports/approvals-store';

const TOKEN_RE = /^mlg_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

function hash(salt: string, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret).digest();
}

type Row = { user: string; salt: string; hash: string; revoked_at: string | null };

export function createApiTokenStore(db: ApprovalsDb): ApiTokenStore {
  const insert = db.prepare('INSERT INTO api_tokens (id, user, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], Row>('SELECT user, salt, hash, revoked_at FROM api_tokens WHERE id = ?');
  const revoke = db.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const lookup = (plaintext: string): { id: string; row: Row } | null => {
    const m = TOKEN_RE.exec(plaintext.trim());
    if (!m) return null;
    const row = byId.get(m[1]);
    if (!row || row.revoked_at) return null;
    const ok = timingSafeEqual(hash(row.salt, m[2]), Buffer.from(row.hash, 'hex'));
    return ok ? { id: m[1], row } : null;
  };
  return {
    create(user) {
      if (!user.trim()) throw new Error('user: name the user (an email address) the token is for');
      const id = randomBytes(8).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const salt = randomBytes(16).toString('hex');
      insert.run(id, user.trim(), salt, hash(salt, secret).toString('hex'), new Date().toISOString());
      return `mlg_${id}_${secret}`;
    },
    authenticate: (plaintext) => lookup(plaintext)?.row.user ?? null,
    revoke(plaintext) {
      const found = lookup(plaintext);
      return found ? revoke.run(new Date().toISOString(), found.id).changes === 1 : false;
    },
  };
}
