/**
 * Several real gateways on one real PostgreSQL (MLGATE_DATABASE_URL's routing store): a routing
 * change made through one replica's admin API is served by the others, the compare-and-set
 * generation is the database's, a replica started later serves the current routing from its first
 * request, and a lost notification still converges through the periodic re-read. Every wait is on
 * a condition with a generous deadline.
 */
import { Client } from 'pg';
import { RoutingConflictError } from '../../../src/ports/deployment-target';
import { openPostgresRoutingStore, ROUTING_CHANNEL } from '../../../src/adapters/routing-store/postgres';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';
import { waitForStage } from '../../helpers/release-env';
import { MODEL, ROWS, predict, startTestGateway, type TestGateway } from './fixtures';

let postgres: LocalPostgres;
const gateways: TestGateway[] = [];
/** A gateway replica on the shared database; `rereadMs` is how soon it re-reads without a notification. */
const replica = async (rereadMs = 3_600_000) => {
  const gw = await startTestGateway({ openRouting: () => openPostgresRoutingStore({ url: postgres.url, rereadMs }) });
  gateways.push(gw);
  return gw;
};
/** Predicts on `gw` until it answers with `version`. */
const servedBy = (gw: TestGateway, version: string) => waitForStage(() => predict(gw.url, [ROWS[0]]), (r) => r.version === version, 30_000);

beforeAll(async () => {
  postgres = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const gw of gateways) await gw.close();
  await postgres?.stop();
});

describe('gateway replicas sharing routing in PostgreSQL', () => {
  it('serves on replica B a routing change made on replica A, and B refuses a stale generation A already used', async () => {
    const [a, b] = [await replica(), await replica()];
    await a.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: 0 });
    await servedBy(b, 'v-stable');
    await a.admin.setRouting(MODEL, { stable: { version: 'v-stable' }, candidate: { version: 'v-inverted', mode: 'canary', weight: 100 } }, { expectedGeneration: 1 });
    await servedBy(b, 'v-inverted');
    expect((await b.admin.getRouting(MODEL))?.generation).toBe(2);
    await expect(b.admin.setRouting(MODEL, { stable: { version: 'v-candidate' } }, { expectedGeneration: 1 })).rejects.toBeInstanceOf(RoutingConflictError);
    expect((await predict(a.url, [ROWS[0]])).version).toBe('v-inverted');
  }, 120_000);

  it('serves the current routing from the first request of a replica started after the change', async () => {
    const a = gateways[0];
    const current = await a.admin.getRouting(MODEL);
    await a.admin.setRouting(MODEL, { stable: { version: 'v-candidate' } }, { expectedGeneration: current!.generation });
    const late = await replica();
    const first = await predict(late.url, [ROWS[0]]);
    expect({ status: first.status, version: first.version }).toEqual({ status: 200, version: 'v-candidate' });
  }, 120_000);

  it('converges through the re-read when its listener connection is killed and the notification is lost', async () => {
    const a = gateways[0];
    const b = await replica(1_000);
    await servedBy(b, 'v-candidate');
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ${ROUTING_CHANNEL}'`);
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const current = await a.admin.getRouting(MODEL);
    await a.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: current!.generation });
    await servedBy(b, 'v-stable');
  }, 120_000);
});
