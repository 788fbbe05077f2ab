/**
 * Two real gateways (real HTTP) on one real PostgreSQL prediction log: feedback for a prediction
 * answered by replica A is accepted by replica B, the monitor's reads (tallies, labelled rows, the
 * prediction log, the review queue) through either replica's admin API see every replica's rows,
 * and feedback that reaches B before A has written its batch waits for it; an id that never
 * arrives is refused with a retry hint. Every wait is on a condition with a generous deadline.
 */
import { Client } from 'pg';
import { openPostgresPredictionLog } from '../../../src/adapters/prediction-log/postgres';
import { openPostgresRoutingStore } from '../../../src/adapters/routing-store/postgres';
import { createMonitorGateway } from '../../../src/adapters/monitor-gateway/admin-http';
import { createReviewClient } from '../../../src/adapters/gateway/review-client';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';
import { waitForStage } from '../../helpers/release-env';
import { MODEL, ROWS, TOKEN, predict, startTestGateway, type TestGateway } from './fixtures';

let postgres: LocalPostgres;
const gateways: TestGateway[] = [];
/** A replica on the shared database; `flushMs` is how often it writes its batch. */
const replica = async (o: { flushMs?: number; feedbackWaitMs?: number } = {}) => {
  const gw = await startTestGateway({
    openRouting: () => openPostgresRoutingStore({ url: postgres.url }),
    openPredictionLog: () => openPostgresPredictionLog({ url: postgres.url, ...(o.flushMs ? { flushMs: o.flushMs } : {}) }),
    feedbackWaitMs: o.feedbackWaitMs ?? 30_000,
  });
  gateways.push(gw);
  return gw;
};

const feedback = async (url: string, items: Array<{ predictionId: string; outcome?: string; kpi?: number }>) => {
  const res = await fetch(`${url}/v1/models/${MODEL}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback: items }) });
  return { status: res.status, body: (await res.json()) as { accepted?: number; error?: string; message?: string } };
};
const idsOf = (r: Awaited<ReturnType<typeof predict>>) => (r.body as { predictionIds: string[] }).predictionIds;
const stored = async (id: string) => {
  const c = new Client({ connectionString: postgres.url });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM predictions WHERE id = $1', [id])).rowCount;
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  postgres = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const gw of gateways) await gw.close();
  await postgres?.stop();
});

describe('gateway replicas sharing the prediction log in PostgreSQL', () => {
  it('accepts on replica B feedback for predictions answered by replica A, and the monitor reads them through either replica', async () => {
    const [a, b] = [await replica(), await replica()];
    const monitorA = createMonitorGateway({ adminUrl: a.adminUrl, token: TOKEN });
    await monitorA.setMonitoringConfig(MODEL, { keepColumns: ['income'], reviewConfidenceBelow: 1 });
    await a.admin.setRouting(MODEL, { stable: { version: 'v-stable' } }, { expectedGeneration: 0 });
    await waitForStage(() => predict(b.url, [ROWS[0]]), (r) => r.version === 'v-stable', 30_000);
    const answered = await predict(a.url, ROWS.slice(0, 3));
    const [first, second, third] = idsOf(answered);
    const labels = answered.body.predictions!.map((p) => p.label);
    expect(await feedback(b.url, [{ predictionId: first, outcome: labels[0] }, { predictionId: second, kpi: 3 }])).toEqual({ status: 200, body: { accepted: 2 } });
    const monitorB = createMonitorGateway({ adminUrl: b.adminUrl, token: TOKEN });
    for (const m of [monitorA, monitorB]) expect(await m.tallies(MODEL)).toEqual([{ version: 'v-stable', labelled: 1, correct: 1, kpiCount: 1, kpiSum: 3, kpiMin: 3, kpiMax: 3 }]);
    expect(await monitorB.labelled(MODEL)).toEqual([{ predictionId: first, version: 'v-stable', inputs: { income: ROWS[0].income }, outcome: labels[0] }]);
    expect((await monitorB.readPredictions(MODEL, { afterSeq: 0, limit: 100 })).entries.map((e) => e.id)).toEqual(expect.arrayContaining([first, second, third]));
    // The monitor pushed the config to A only; B's review queue still holds A's rows, and B labels them.
    const reviewB = createReviewClient({ adminUrl: b.adminUrl, token: TOKEN });
    expect((await reviewB.list(MODEL)).map((i) => i.predictionId)).toEqual(expect.arrayContaining([first, second, third]));
    await reviewB.label(MODEL, third, { label: labels[2], reviewer: 'alice@example.com' });
    expect((await monitorA.tallies(MODEL))[0]).toMatchObject({ labelled: 2, correct: 2 });
  }, 120_000);

  it('holds feedback that reaches replica B before replica A has written the prediction, until A\'s batch lands', async () => {
    // A never writes on its timer here: only a read on A (which writes A's buffer first) lands the batch.
    const a = await replica({ flushMs: 3_600_000 });
    const b = gateways[1];
    const [id] = idsOf(await predict(a.url, [ROWS[5]]));
    expect(await stored(id)).toBe(0);
    // Sent while the row is not in the database; B re-reads until A's read below writes A's buffer.
    const early = feedback(b.url, [{ predictionId: id, outcome: '1' }]);
    await a.admin.getRouting(MODEL);
    await createMonitorGateway({ adminUrl: a.adminUrl, token: TOKEN }).readPredictions(MODEL, { afterSeq: 0, limit: 1 });
    expect(await stored(id)).toBe(1);
    expect(await early).toEqual({ status: 200, body: { accepted: 1 } });
  }, 120_000);

  it('refuses feedback for an id no replica has written once the wait is over, saying to retry, and stores nothing', async () => {
    const c = await replica({ feedbackWaitMs: 500 });
    const monitor = createMonitorGateway({ adminUrl: c.adminUrl, token: TOKEN });
    const before = await monitor.tallies(MODEL);
    const [known] = idsOf(await predict(c.url, [ROWS[1]]));
    const r = await feedback(c.url, [{ predictionId: known, outcome: '1' }, { predictionId: 'never-answered:0', outcome: '1' }]);
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 404, error: 'NOT_FOUND' });
    expect(r.body.message).toMatch(/nothing was stored.*retry in a few seconds/);
    expect(await monitor.tallies(MODEL)).toEqual(before);
  }, 120_000);
});
