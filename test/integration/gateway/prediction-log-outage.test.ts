/**
 * A PostgreSQL outage while a gateway serves (#14, run time): the network to a real PostgreSQL is
 * cut through a TCP proxy and brought back. During the outage predictions go on (routing is in
 * memory, answered rows wait in the buffer), feedback is refused with a retryable 503 and nothing
 * half-stored, and the process stays up; afterwards every row answered during the outage reaches
 * the database and the refused feedback, sent again, is counted. Waits are on conditions.
 */
import { Client } from 'pg';
import { openPostgresPredictionLog } from '../../../src/adapters/prediction-log/postgres';
import { openPostgresRoutingStore } from '../../../src/adapters/routing-store/postgres';
import { waitForStage } from '../../helpers/release-env';
import { startPostgresBehindProxy } from '../../helpers/tcp-proxy';
import { MODEL, ROWS, TOKEN, predict, startTestGateway, type TestGateway } from './fixtures';

let db: Awaited<ReturnType<typeof startPostgresBehindProxy>>;
let gw: TestGateway;
/** Background failures the adapters report (a log line in `mlgate gateway`). */
const errors: Error[] = [];

beforeAll(async () => {
  db = await startPostgresBehindProxy();
  const { url } = db;
  gw = await startTestGateway({
    openRouting: () => openPostgresRoutingStore({ url, rereadMs: 1000, onError: (e) => errors.push(e) }),
    openPredictionLog: () => openPostgresPredictionLog({ url, onError: (e) => errors.push(e) }),
  });
}, 180_000);
afterAll(async () => {
  await db?.proxy.restore().catch(() => undefined);
  await gw?.close();
  await db?.stop();
});

const feedback = async (items: Array<{ predictionId: string; outcome: string }>) => {
  const res = await fetch(`${gw.url}/v1/models/${MODEL}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback: items }) });
  return { status: res.status, body: (await res.json()) as { accepted?: number; error?: string; message?: string } };
};
const tallies = async () => {
  const res = await fetch(`${gw.adminUrl}/admin/models/${MODEL}/feedback`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: (await res.json()) as { versions?: Array<{ labelled: number }>; error?: string } };
};
/** Rows of these ids in the database, read directly (not through the proxy). */
const storedCount = async (ids: string[]) => {
  const c = new Client({ connectionString: db.postgres.url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM predictions WHERE id = ANY($1::text[])', [ids])).rows[0].n;
  } finally {
    await c.end();
  }
};

describe('a PostgreSQL outage while the gateway serves', () => {
  it('keeps answering predictions, refuses feedback with a retryable 503, and loses no row or feedback once the database is back', async () => {
    await gw.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: 0 });
    const [before] = (await predict(gw.url, [ROWS[0]])).body.predictionIds as string[];
    expect((await feedback([{ predictionId: before, outcome: '1' }])).status).toBe(200);

    await db.proxy.cut();
    const during: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await predict(gw.url, [ROWS[i % ROWS.length]]);
      expect({ status: r.status, version: r.version }).toEqual({ status: 200, version: 'v-stable' });
      during.push(...(r.body.predictionIds as string[]));
    }
    const refused = await feedback([{ predictionId: during[0], outcome: '1' }]);
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 503, error: 'UNAVAILABLE' });
    expect(refused.body.message).toMatch(/nothing was stored, retry later/);
    expect((await tallies()).status).toBe(503);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);

    await db.proxy.restore();
    await waitForStage(() => storedCount(during), (n) => n === during.length, 60_000);
    expect(await feedback([{ predictionId: during[0], outcome: '1' }])).toEqual({ status: 200, body: { accepted: 1 } });
    expect((await tallies()).body.versions).toEqual([expect.objectContaining({ version: 'v-stable', labelled: 2 })]);
  }, 180_000);
});
