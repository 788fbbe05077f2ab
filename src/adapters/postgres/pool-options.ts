/**
 * The bounds every mlgate `pg` pool gets, so no database wait can hang a request or an activity:
 * a database that stops answering (a network partition, a frozen host, a lock held forever) fails
 * the call with an error that counts as unavailable (src/http/backend-unavailable.ts: the servers
 * answer 503 UNAVAILABLE, activities fail and Temporal retries them) instead of a promise that never
 * settles. `pg` takes settings from the URL over these, so an operator can change them without a
 * release: `MLGATE_DATABASE_URL=postgres://…?statement_timeout=60000&query_timeout=75000`.
 */
import type { PoolConfig } from 'pg';

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

/** pg's failures after which the connection's state is unknown: roll back by closing it, not with another query that would wait as long. */
const BROKEN = /^(Query read timeout|Connection terminated)/;

export function connectionBroken(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && BROKEN.test(message);
}
