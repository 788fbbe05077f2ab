import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newNonce } from '../../../src/approval-links/approval-token';
import { openApprovalsStore } from '../../../src/adapters/approvals-store/sqlite/approvals-store';

describe('approvals SQLite store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlgate-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('API tokens are stored only as salted hashes, never as plaintext', () => {
    const store = openApprovalsStore({ dataDir: dir });
    const plaintext = store.apiTokens.create('a@x.io');
    // The secret is base64url, which may itself contain '_': take everything after `mlg_<hex id>_`.
    const secret = plaintext.slice(plaintext.indexOf('_', 4) + 1);
    expect(secret).toHaveLength(43);
    store.close();
    const raw = new Database(join(dir, 'approvals.sqlite'), { readonly: true });
    const rows = raw.prepare('SELECT * FROM api_tokens').all() as Array<Record<string, string>>;
    raw.close();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].salt).toMatch(/^[0-9a-f]{32}$/);
  });

  test('tokens, used links and refused attempts survive reopening the file', () => {
    const first = openApprovalsStore({ dataDir: dir });
    const token = first.apiTokens.create('a@x.io');
    const link = { releaseId: 'r1', runId: 'run-1', gate: 'deploy' as const, approver: 'a@x.io', exp: 2_000_000_000, nonce: newNonce() };
    expect(first.usedTokens.markUsed(link, new Date())).toBe(true);
    first.refused.record({ at: '2026-01-01T00:00:00.000Z', who: 'm@x.io', releaseId: 'r1', gate: 'deploy', channel: 'api', code: 'NOT_ALLOWED', reason: 'not an approver' });
    first.close();
    const second = openApprovalsStore({ dataDir: dir });
    expect(second.apiTokens.authenticate(token)).toBe('a@x.io');
    expect(second.usedTokens.isUsed(link.nonce)).toBe(true);
    expect(second.usedTokens.markUsed(link, new Date())).toBe(false);
    expect(second.refused.list({ releaseId: 'r1' })).toEqual([{ at: '2026-01-01T00:00:00.000Z', who: 'm@x.io', releaseId: 'r1', gate: 'deploy', channel: 'api', code: 'NOT_ALLOWED', reason: 'not an approver' }]);
    expect(second.refused.list({ releaseId: 'r2' })).toEqual([]);
    second.close();
  });

  test('creating a token for an empty user is refused with a message naming the field', () => {
    const store = openApprovalsStore({ dataDir: dir });
    expect(() => store.apiTokens.create('  ')).toThrow(/^user: /);
    store.close();
  });
});
