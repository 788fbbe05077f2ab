/**
 * PostgreSQL routing store (`pg`), chosen by MLGATE_DATABASE_URL=postgres://… so several gateway
 * replicas serve one routing. The compare-and-set is one statement in the database
 * (`UPDATE … WHERE generation = $expected`, or an insert that loses to any concurrent one), and the
 * same statement sends NOTIFY, delivered at commit. Each replica keeps the routing in memory for
 * the predict path: it LISTENs first, then reads every row, and re-reads a model when notified and
 * everything every `rereadMs`, so a lost notification (a dropped listener connection) still converges.
 * Memory only moves forward: a routing replaces the cached one only with a higher generation.
 */
import { RoutingInputSchema, sameRouting, type Routing, type RoutingInput } from '../../domain/routing';
import type { RoutingStore, SetResult } from '../../ports/routing-store';
import { createListener } from '../postgres/listener';
import type { Migration } from '../postgres/migrate';
import { migratedPool } from '../postgres/migrated-pool';

export const ROUTING_MIGRATIONS: Migration[] = [
  {
    id: 'routing-001-initial',
    sql: `
CREATE TABLE gateway_routing (
  model TEXT PRIMARY KEY, generation INTEGER NOT NULL CHECK (generation > 0), routing_json TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  },
];

/** The NOTIFY channel; the payload is the model whose routing changed. */
export const ROUTING_CHANNEL = 'mlgate_routing';

export interface PostgresRoutingStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** How often every routing is re-read, in case a notification was lost. @default 5000 */
  rereadMs?: number;
  /** A lost listener connection or a failed re-read; the store keeps trying and serves what it has. */
  onError?: (err: Error) => void;
}

type Row = { model: string; generation: number; routing_json: string };

const toRouting = (r: Row): Routing => ({ ...RoutingInputSchema.parse(JSON.parse(r.routing_json)), generation: r.generation });

const INSERT = `WITH w AS (INSERT INTO gateway_routing (model, generation, routing_json) VALUES ($1, 1, $2) ON CONFLICT (model) DO NOTHING RETURNING generation)
SELECT generation, pg_notify('${ROUTING_CHANNEL}', $1) FROM w`;
const UPDATE = `WITH w AS (UPDATE gateway_routing SET generation = generation + 1, routing_json = $2, updated_at = now() WHERE model = $1 AND generation = $3 RETURNING generation)
SELECT generation, pg_notify('${ROUTING_CHANNEL}', $1) FROM w`;

/** Opens the store: migrations, LISTEN, then every routing read, before it resolves. */
export async function openPostgresRoutingStore(o: PostgresRoutingStoreOptions): Promise<RoutingStore> {
  const { pool, db } = migratedPool(o.url, ROUTING_MIGRATIONS, 3);
  const models = new Map<string, Routing>();
  const listeners: Array<(model: string, routing: Routing) => void> = [];
  /** Takes a routing read from the database; true when it was newer than the one in memory. */
  const take = (model: string, routing: Routing, remote: boolean) => {
    if ((models.get(model)?.generation ?? 0) >= routing.generation) return false;
    models.set(model, routing);
    if (remote) for (const l of listeners) l(model, routing);
    return true;
  };
  const readOne = async (model: string): Promise<Routing | null> => {
    const row = (await (await db()).query<Row>('SELECT model, generation, routing_json FROM gateway_routing WHERE model = $1', [model])).rows[0];
    if (row) take(model, toRouting(row), true);
    return row ? toRouting(row) : null;
  };
  const readAll = async () => {
    for (const row of (await (await db()).query<Row>('SELECT model, generation, routing_json FROM gateway_routing')).rows) take(row.model, toRouting(row), true);
  };
  const report = (err: Error) => o.onError?.(err);
  const listener = createListener({
    url: o.url, channel: ROUTING_CHANNEL, onError: report, onConnected: readAll,
    onNotify: (model) => void readOne(model).catch(report),
  });
  try {
    await listener.start();
  } catch (err) {
    await listener.close();
    await pool.end();
    throw err;
  }
  const timer = setInterval(() => void readAll().catch(report), o.rereadMs ?? 5000);
  timer.unref();

  /** One compare-and-set attempt at generation `from`; the new generation, or null when another write got there first. */
  const write = async (model: string, input: RoutingInput, from: number): Promise<number | null> => {
    const json = JSON.stringify(input);
    const { rows } = await (await db()).query<{ generation: number }>(from === 0 ? INSERT : UPDATE, from === 0 ? [model, json] : [model, json, from]);
    return rows[0]?.generation ?? null;
  };

  return {
    get: (model) => models.get(model) ?? null,
    all: () => [...models.values()],
    entries: () => [...models.entries()],
    async set(model, input, expectedGeneration): Promise<SetResult> {
      // Decided against the database, never the memory: another replica may have moved on.
      for (;;) {
        const current = await readOne(model);
        // Idempotency first: a retried write whose first attempt succeeded must not report a conflict.
        if (current && sameRouting(current, input)) return { status: 'ok', routing: current, changed: false };
        if (expectedGeneration !== undefined && (current?.generation ?? 0) !== expectedGeneration) return { status: 'conflict', current };
        const generation = await write(model, input, current?.generation ?? 0);
        if (generation !== null) {
          const routing: Routing = { ...input, generation };
          take(model, routing, false);
          return { status: 'ok', routing, changed: true };
        }
        // Lost the race: the next round sees the winner (a conflict when a generation was expected).
      }
    },
    onRemoteChange: (l) => void listeners.push(l),
    async close() {
      clearInterval(timer);
      await listener.close();
      await pool.end();
    },
  };
}
