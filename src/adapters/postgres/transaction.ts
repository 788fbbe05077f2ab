/** One transaction on a pooled connection: committed when `work` resolves, rolled back when it throws. */
import type { Pool, PoolClient } from 'pg';
import { connectionBroken } from './pool-options';

export async function inTransaction<T>(pool: Pool, work: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN');
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    // A timed-out or lost connection: closing it makes the server roll back; a ROLLBACK sent on it
    // would only wait out another query_timeout behind the query that never answered.
    if (connectionBroken(err)) broken = err as Error;
    else await c.query('ROLLBACK').catch((e: Error) => void (broken = e));
    throw err;
  } finally {
    c.release(broken);
  }
}
