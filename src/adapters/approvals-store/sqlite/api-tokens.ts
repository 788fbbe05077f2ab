/** Per-user API tokens in SQLite, stored hashed (see ../api-token-secret.ts for the format). */
import type { ApprovalsDb } from './approvals-db';
import type { ApiTokenStore } from '../../../ports/approvals-store';
import { newApiToken, parseApiToken, secretMatches } from '../api-token-secret';

type Row = { user: string; salt: string; hash: string; revoked_at: string | null };

export function createApiTokenStore(db: ApprovalsDb): ApiTokenStore {
  const insert = db.prepare('INSERT INTO api_tokens (id, user, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], Row>('SELECT user, salt, hash, revoked_at FROM api_tokens WHERE id = ?');
  const revoke = db.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  const lookup = (plaintext: string): { id: string; row: Row } | null => {
    const t = parseApiToken(plaintext);
    const row = t ? byId.get(t.id) : undefined;
    if (!t || !row || row.revoked_at) return null;
    return secretMatches(row, t.secret) ? { id: t.id, row } : null;
  };
  return {
    async create(user) {
      const t = newApiToken(user);
      insert.run(t.id, t.user, t.salt, t.hash, new Date().toISOString());
      return t.plaintext;
    },
    authenticate: async (plaintext) => lookup(plaintext)?.row.user ?? null,
    async revoke(plaintext) {
      const found = lookup(plaintext);
      return found ? revoke.run(new Date().toISOString(), found.id).changes === 1 : false;
    },
  };
}
