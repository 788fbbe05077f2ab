/**
 * PostgreSQL approvals store (`pg`), chosen by MLGATE_DATABASE_URL=postgres://… so that several
 * approvals servers and workers share tokens, used links, refused attempts and the email ledger.
 * Same tables and rules as the SQLite adapter; the schema comes from the shared versioned
 * migrations (src/adapters/postgres/migrate.ts), applied at open under their advisory lock.
 */
import type { ApprovalsStore } from '../../ports/approvals-store';
import type { Migration } from '../postgres/migrate';
import { migratedPool, openWhenMigrated } from '../postgres/migrated-pool';
import { newApiToken, parseApiToken, secretMatches } from './api-token-secret';
import { emailKeyArgs as args, toEmailEntry, toRefusedRecord, type RefusedRow } from './rows';

export const APPROVALS_MIGRATIONS: Migration[] = [
  {
    id: 'approvals-001-initial',
    sql: `
CREATE TABLE used_tokens (
  nonce TEXT PRIMARY KEY, release_id TEXT NOT NULL, run_id TEXT NOT NULL, gate TEXT NOT NULL, approver TEXT NOT NULL, used_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE refused_attempts (
  seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, release_id TEXT NOT NULL, run_id TEXT, gate TEXT NOT NULL,
  channel TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX refused_by_release ON refused_attempts (release_id, seq);
CREATE TABLE approval_emails (
  release_id TEXT NOT NULL, run_id TEXT NOT NULL, gate TEXT NOT NULL, opening_id INTEGER NOT NULL, approver TEXT NOT NULL, kind TEXT NOT NULL,
  sequence INTEGER NOT NULL, status TEXT NOT NULL, message_id TEXT, updated_at TEXT NOT NULL,
  PRIMARY KEY (release_id, run_id, gate, opening_id, approver, kind, sequence)
);
`,
  },
];

export interface PostgresApprovalsStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
}

const KEY = 'release_id = $1 AND run_id = $2 AND gate = $3 AND opening_id = $4 AND approver = $5 AND kind = $6 AND sequence = $7';

/** Opens the store and applies its migrations first; fails with the database's own error. */
export async function openPostgresApprovalsStore(options: PostgresApprovalsStoreOptions): Promise<ApprovalsStore> {
  return openWhenMigrated(createPostgresApprovalsStore(options));
}

/** The store at once, for synchronous wiring: every call waits for the migrations (`ready`). */
export function createPostgresApprovalsStore(options: PostgresApprovalsStoreOptions): ApprovalsStore & { ready: Promise<void> } {
  const { pool, ready, db } = migratedPool(options.url, APPROVALS_MIGRATIONS);
  const q = async <R extends object = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db()).query<R>(sql, params);
  const lookup = async (plaintext: string): Promise<{ id: string; owner: string } | null> => {
    const t = parseApiToken(plaintext);
    if (!t) return null;
    const row = (await q<{ owner: string; salt: string; hash: string; revoked_at: string | null }>('SELECT owner, salt, hash, revoked_at FROM api_tokens WHERE id = $1', [t.id])).rows[0];
    return row && !row.revoked_at && secretMatches(row, t.secret) ? { id: t.id, owner: row.owner } : null;
  };
  return {
    ready,
    usedTokens: {
      isUsed: async (nonce) => ((await q('SELECT 1 FROM used_tokens WHERE nonce = $1', [nonce])).rowCount ?? 0) > 0,
      markUsed: async (p, at) => ((await q('INSERT INTO used_tokens (nonce, release_id, run_id, gate, approver, used_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (nonce) DO NOTHING',
        [p.nonce, p.releaseId, p.runId, p.gate, p.approver, at.toISOString()])).rowCount ?? 0) === 1,
    },
    apiTokens: {
      async create(user) {
        const t = newApiToken(user);
        await q('INSERT INTO api_tokens (id, owner, salt, hash, created_at) VALUES ($1, $2, $3, $4, $5)', [t.id, t.user, t.salt, t.hash, new Date().toISOString()]);
        return t.plaintext;
      },
      authenticate: async (plaintext) => (await lookup(plaintext))?.owner ?? null,
      async revoke(plaintext) {
        const found = await lookup(plaintext);
        return found ? (await q('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [new Date().toISOString(), found.id])).rowCount === 1 : false;
      },
    },
    refused: {
      record: async (r) => void await q('INSERT INTO refused_attempts (at, who, release_id, run_id, gate, channel, code, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [r.at, r.who, r.releaseId, r.runId ?? null, r.gate, r.channel, r.code, r.reason]),
      list: async (filter = {}) => (filter.releaseId
        ? await q<RefusedRow>('SELECT * FROM refused_attempts WHERE release_id = $1 ORDER BY seq', [filter.releaseId])
        : await q<RefusedRow>('SELECT * FROM refused_attempts ORDER BY seq')).rows.map(toRefusedRecord),
    },
    emails: {
      async alreadySent(k) {
        // As in SQLite: a row left in `sending` (an attempt died mid-send) is sent again.
        if ((await q<{ status: string }>(`SELECT status FROM approval_emails WHERE ${KEY}`, args(k))).rows[0]?.status === 'sent') return true;
        await q("INSERT INTO approval_emails (release_id, run_id, gate, opening_id, approver, kind, sequence, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'sending', $8) ON CONFLICT DO NOTHING",
          [...args(k), new Date().toISOString()]);
        return false;
      },
      markSent: async (k, messageId) => void await q(`UPDATE approval_emails SET status = 'sent', message_id = $8, updated_at = $9 WHERE ${KEY}`, [...args(k), messageId, new Date().toISOString()]),
      list: async ({ releaseId }) => (await q('SELECT * FROM approval_emails WHERE release_id = $1 ORDER BY updated_at', [releaseId])).rows.map(toEmailEntry),
    },
    close: () => void pool.end(),
  };
}
