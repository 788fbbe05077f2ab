/**
 * The approvals-store contract, run against both adapters: SQLite (the embedded default) and
 * PostgreSQL (scale-out, a real local server started for this file). "Another instance" is a second
 * store on the same file or database, as a second approvals server or worker would open it.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { newNonce } from '../../../src/approval-links/approval-token';
import { openApprovalsStore } from '../../../src/adapters/approvals-store/sqlite/approvals-store';
import { openPostgresApprovalsStore } from '../../../src/adapters/approvals-store/postgres';
import { checkPostgres } from '../../../src/adapters/postgres/migrate';
import type { ApprovalsStore, EmailKey } from '../../../src/ports/approvals-store';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';

const dir = mkdtempSync(join(tmpdir(), 'mlgate-store-'));
let postgres: LocalPostgres | undefined;
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Adapter = { open(): Promise<ApprovalsStore>; tokenRows(): Promise<Array<Record<string, unknown>>> };

const sqlite: Adapter = {
  open: async () => openApprovalsStore({ dataDir: dir }),
  async tokenRows() {
    const raw = new Database(join(dir, 'approvals.sqlite'), { readonly: true });
    try {
      return raw.prepare('SELECT * FROM api_tokens').all() as Array<Record<string, unknown>>;
    } finally {
      raw.close();
    }
  },
};
const pg: Adapter = {
  async open() {
    postgres ??= await startPostgres();
    return openPostgresApprovalsStore({ url: postgres.url });
  },
  async tokenRows() {
    const c = new Client({ connectionString: postgres!.url });
    await c.connect();
    try {
      return (await c.query('SELECT * FROM api_tokens')).rows;
    } finally {
      await c.end();
    }
  },
};

const link = (releaseId: string) => ({ releaseId, runId: 'run-1', gate: 'deploy' as const, approver: 'a@x.io', exp: 2_000_000_000, nonce: newNonce() });
const refusal = (releaseId: string, who: string) => ({ at: '2026-01-01T00:00:00.000Z', who, releaseId, gate: 'deploy', channel: 'api' as const, code: 'NOT_ALLOWED', reason: 'not an approver' });

describe.each([['SQLite', sqlite], ['PostgreSQL', pg]] as const)('%s approvals store', (_name, adapter) => {
  let store: ApprovalsStore;
  let other: ApprovalsStore;
  beforeAll(async () => {
    store = await adapter.open();
    other = await adapter.open();
  }, 180_000);
  afterAll(() => {
    store?.close();
    other?.close();
  });

  test('API tokens are stored only as salted hashes, never as plaintext', async () => {
    const plaintext = await store.apiTokens.create('hash@x.io');
    // The secret is base64url, which may itself contain '_': take everything after `mlg_<hex id>_`.
    const secret = plaintext.slice(plaintext.indexOf('_', 4) + 1);
    expect(secret).toHaveLength(43);
    const rows = (await adapter.tokenRows()).filter((r) => plaintext.startsWith(`mlg_${String(r.id)}_`));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].salt).toMatch(/^[0-9a-f]{32}$/);
  });

  test('a token, a used link and a refused attempt written by one instance are seen by another', async () => {
    const token = await store.apiTokens.create('a@x.io');
    const l = link('r-shared');
    expect(await store.usedTokens.markUsed(l, new Date())).toBe(true);
    await store.refused.record(refusal('r-shared', 'm@x.io'));
    expect(await other.apiTokens.authenticate(token)).toBe('a@x.io');
    expect(await other.usedTokens.isUsed(l.nonce)).toBe(true);
    expect(await other.usedTokens.markUsed(l, new Date())).toBe(false);
    expect(await other.refused.list({ releaseId: 'r-shared' })).toEqual([refusal('r-shared', 'm@x.io')]);
    expect(await other.refused.list({ releaseId: 'r-none' })).toEqual([]);
  });

  test('lists refused attempts in the order they were recorded, with the run id when there was one', async () => {
    await store.refused.record(refusal('r-order', 'first@x.io'));
    await other.refused.record({ ...refusal('r-order', 'second@x.io'), runId: 'run-2' });
    expect((await store.refused.list({ releaseId: 'r-order' })).map((r) => [r.who, r.runId])).toEqual([['first@x.io', undefined], ['second@x.io', 'run-2']]);
    expect((await store.refused.list()).filter((r) => r.releaseId === 'r-order')).toHaveLength(2);
  });

  test('a revoked token no longer authenticates on any instance, and unknown or malformed tokens never do', async () => {
    const token = await store.apiTokens.create('rev@x.io');
    expect(await other.apiTokens.revoke(token)).toBe(true);
    expect(await store.apiTokens.authenticate(token)).toBeNull();
    expect(await store.apiTokens.revoke(token)).toBe(false);
    expect(await store.apiTokens.authenticate(`mlg_0123456789abcdef_${'A'.repeat(43)}`)).toBeNull();
    expect(await store.apiTokens.authenticate('not-a-token')).toBeNull();
  });

  test('lets exactly one of two instances mark the same link used when they race', async () => {
    const l = link('r-race');
    const results = await Promise.all([store.usedTokens.markUsed(l, new Date()), other.usedTokens.markUsed(l, new Date())]);
    expect(results.sort()).toEqual([false, true]);
  });

  test('the email ledger skips a mail marked sent, on any instance, and sends again one left in sending', async () => {
    const key: EmailKey = { releaseId: 'r-mail', runId: 'run-1', gate: 'deploy', openingId: 1, approver: 'A@x.io', kind: 'opened', sequence: 0 };
    expect(await store.emails.alreadySent(key)).toBe(false);
    await store.emails.markSent(key, '<m1@x>');
    expect(await other.emails.alreadySent({ ...key, approver: 'a@x.io' })).toBe(true);
    const crashed = { ...key, approver: 'b@x.io' };
    expect(await store.emails.alreadySent(crashed)).toBe(false);
    expect(await other.emails.alreadySent(crashed)).toBe(false);
    expect((await other.emails.list({ releaseId: 'r-mail' })).map((e) => [e.approver, e.status, e.messageId])).toEqual([['a@x.io', 'sent', '<m1@x>'], ['b@x.io', 'sending', null]]);
  });

  test('creating a token for an empty user is refused with a message naming the field', async () => {
    await expect(store.apiTokens.create('  ')).rejects.toThrow(/^user: /);
  });
});

describe('PostgreSQL approvals store configuration', () => {
  it('names MLGATE_DATABASE_URL, without the password, when the database is unreachable or missing', async () => {
    postgres ??= await startPostgres();
    const missing = postgres.url.replace(/\/mlgate$/, '/no_such_db');
    expect(await checkPostgres(missing)).toMatch(/^cannot use PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/no_such_db .*does not exist.*check MLGATE_DATABASE_URL$/);
    const closed = `postgres://mlgate:s3cret@127.0.0.1:1/mlgate`;
    const line = await checkPostgres(closed, 5_000);
    expect(line).toMatch(/check MLGATE_DATABASE_URL$/);
    expect(line).not.toContain('s3cret');
    await expect(openPostgresApprovalsStore({ url: missing })).rejects.toThrow(/does not exist/);
  }, 180_000);
});
