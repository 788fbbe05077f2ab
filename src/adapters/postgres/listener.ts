/**
 * A LISTEN connection that comes back by itself. PostgreSQL drops notifications sent while a
 * listener is disconnected, so after every (re)connect `onConnected` runs: the caller re-reads what
 * it may have missed. Listening starts before that re-read, so nothing falls between the two.
 */
import { Client } from 'pg';
import { PG_TIMEOUTS } from './pool-options';

export interface ListenerOptions {
  url: string;
  channel: string;
  onNotify(payload: string): void;
  /** After each successful LISTEN, the first included; awaited before `start` resolves. */
  onConnected(): Promise<void>;
  /** A lost connection or a failed reconnect (it keeps trying). */
  onError?(err: Error): void;
  /** Wait between reconnect attempts. @default 1000 */
  retryMs?: number;
}

export interface Listener {
  /** Connects, listens and runs `onConnected` once; rejects when the first connect fails. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createListener(o: ListenerOptions): Listener {
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new Client({ connectionString: o.url, ...PG_TIMEOUTS });
    c.on('notification', (n) => { if (n.channel === o.channel) o.onNotify(n.payload ?? ''); });
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('listener connection ended')));
    try {
      await c.connect();
      await c.query(`LISTEN ${o.channel}`);
      if (closed) throw new Error('listener closed while it connected'); // close() ran meanwhile: do not leak this connection
      client = c;
      await o.onConnected();
    } catch (err) {
      if (client === c) client = null;
      await c.end().catch(() => undefined);
      throw err;
    }
  };
  const lost = (c: Client, err: Error) => {
    if (closed || client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    o.onError?.(err);
    schedule();
  };
  const schedule = () => {
    if (closed) return;
    retry = setTimeout(() => {
      connect().catch((err: Error) => {
        if (closed) return;
        o.onError?.(err);
        schedule();
      });
    }, o.retryMs ?? 1000);
  };

  return {
    start: connect,
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
