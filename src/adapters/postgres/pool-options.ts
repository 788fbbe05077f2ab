/**
 * The bounds every mlgate `pg` pool gets, so no database wait can hang a request or an activity:
 * a database that stops answering (a network partition, a frozen host, a lock held forever) fails
 * the call with an error that counts as unavailable (src/http/backend-unavailable.ts: the servers
 * answer 503 UNAVAILABLE, activities fail and Temporal retries them) instead of a promise that never
 * settles. `pg` takes settings from the URL over these, so an operator can change them without a
 * release: `MLGATE_DATABASE_URL=postgres://…?statement_timeout=60000&query_timeout=75000`.
 */
import { Pool, type PoolConfig } from 'pg';

export const PG_TIMEOUTS = {
  /** Waiting for a pooled connection, or to open a new one. */
  connectionTimeoutMillis: 10_000,
  /** The server cancels a statement running (or waiting on a lock) longer than this: SQLSTATE 57014. */
  statement_timeout: 20_000,
  /** The client gives up on an answer that never comes (the server cannot cancel what it never sees). Above statement_timeout, so the server's own cancel comes first. */
  query_timeout: 30_000,
} as const;

export function poolOptions(url: string, max: number): PoolConfig {
  return { connectionString: url, max, ...PG_TIMEOUTS };
}

/**
 * A pool with these bounds that survives a server that drops its connections (a restart,
 * pg_terminate_backend). pg emits such a drop as an 'error' event on the client: the pool listens
 * on idle clients only, and a checked-out client between two queries (inside a transaction, say)
 * with no listener would take the whole process down. Each client keeps a listener for its life;
 * its next query fails ("not queryable", counted as unavailable) and the connection is discarded.
 */
export function createPool(url: string, max: number): Pool {
  const pool = new Pool(poolOptions(url, max));
  pool.on('error', () => undefined);
  pool.on('connect', (client) => void client.on('error', () => undefined));
  return pool;
}

/** pg's failures after which the connection's state is unknown: roll back by closing it, not with another query that would wait as long. */
const BROKEN = /^(Query read timeout|Connection terminated|Client has encountered a connection error)/;

export function connectionBroken(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && BROKEN.test(message);
}
