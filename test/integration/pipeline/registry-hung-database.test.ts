/**
 * A PostgreSQL that stops answering under the registry (#14, run time): every wait is bounded
 * (src/adapters/postgres/pool-options.ts), so a call fails with an error the servers and activities
 * treat as "unavailable, retry" instead of a promise that never settles, and the registry works
 * again once the database answers. The bounds are set shorter through the URL, as an operator may.
 */
import { Client } from 'pg';
import { migratedPool } from '../../../src/adapters/postgres/migrated-pool';
import { inTransaction } from '../../../src/adapters/postgres/transaction';
import { openPostgresRegistry } from '../../../src/adapters/registry/postgres';
import { isBackendUnavailable } from '../../../src/http/backend-unavailable';
import type { Registry } from '../../../src/ports/registry';
import { startPostgresBehindProxy } from '../../helpers/tcp-proxy';

let db: Awaited<ReturnType<typeof startPostgresBehindProxy>>;
let registry: Registry;

beforeAll(async () => {
  db = await startPostgresBehindProxy();
  registry = await openPostgresRegistry({ url: `${db.url}?statement_timeout=1000&query_timeout=3000` });
}, 180_000);
afterAll(async () => {
  db?.proxy.thaw();
  registry?.close();
  await db?.stop();
});

/** The rejection of `call`, or a failure of the test if it settles otherwise. */
const rejectionOf = (call: Promise<unknown>) => call.then(() => { throw new Error('expected the call to fail'); }, (err: unknown) => err);

describe('a PostgreSQL that stops answering under the registry', () => {
  it('fails a read on a connection that gets no answer with a retryable unavailable error, then reads again once the database answers', async () => {
    expect(await registry.getAliases('hung-1')).toEqual({ champion: null, previous: null, candidate: null }); // a pooled connection now exists
    db.proxy.freeze();
    const err = await rejectionOf(registry.getAliases('hung-1'));
    db.proxy.thaw();
    expect({ message: (err as Error).message, unavailable: isBackendUnavailable(err) }).toEqual({ message: 'Query read timeout', unavailable: true });
    expect(await registry.getAliases('hung-1')).toEqual({ champion: null, previous: null, candidate: null });
  }, 60_000);

  it('cancels a change stuck behind a lock held elsewhere at statement_timeout, as unavailable, and takes it once the lock is free', async () => {
    const holder = new Client({ connectionString: db.postgres.url });
    await holder.connect();
    try {
      // The same advisory lock the registry takes per model for every change.
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', ['mlgate-registry:hung-2']);
      const err = await rejectionOf(registry.acquireReleaseLock({ model: 'hung-2', releaseId: 'release-hung-2-1' }));
      expect({ code: (err as { code?: string }).code, unavailable: isBackendUnavailable(err) }).toEqual({ code: '57014', unavailable: true });
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', ['mlgate-registry:hung-2']);
      expect(await registry.acquireReleaseLock({ model: 'hung-2', releaseId: 'release-hung-2-1' })).toEqual({ ok: true });
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('survives the server ending a connection held between two queries of a transaction: that transaction fails as unavailable, the next one runs', async () => {
    const { pool, ready } = migratedPool(db.postgres.url, []);
    await ready;
    const killer = new Client({ connectionString: db.postgres.url });
    await killer.connect();
    try {
      const err = await rejectionOf(inTransaction(pool, async (c) => {
        const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const ended = new Promise((r) => c.once('end', r));
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        await ended; // the drop arrives as an 'error' event while no query runs: it must not crash this process
        return c.query('SELECT 1');
      }));
      expect(isBackendUnavailable(err)).toBe(true);
      expect(await inTransaction(pool, async (c) => (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0].one)).toBe(1);
    } finally {
      await killer.end();
      await pool.end();
    }
  }, 60_000);
});
