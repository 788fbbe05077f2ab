/**
 * The prediction-log contract, run against both adapters: SQLite in a state folder (the embedded
 * default) and PostgreSQL (replicas; a real local server started for this file). Rows recorded are
 * read back in order after a reopen (a gateway restart), feedback and review labels feed the
 * tallies and the labelled rows, a batch with one unknown id stores nothing, and the monitoring
 * config decides what is kept and what is queued for review.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgresPredictionLog } from '../../../src/adapters/prediction-log/postgres';
import { openSqlitePredictionLog } from '../../../src/adapters/prediction-log/sqlite';
import { UnknownPredictionError, type PredictionLog } from '../../../src/ports/prediction-log';
import { startPostgres, type LocalPostgres } from '../../../src/postgres/local-postgres';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-predlog-'));
let postgres: LocalPostgres | undefined;
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the adapter on the same storage each call (a reopen is a gateway restart). */
const ADAPTERS: Array<[string, () => Promise<PredictionLog>]> = [
  ['SQLite', async () => openSqlitePredictionLog({ stateDir: dir, flushMs: 20 })],
  ['PostgreSQL', async () => {
    postgres ??= await startPostgres();
    return openPostgresPredictionLog({ url: postgres.url, flushMs: 20 });
  }],
];

const CONFIG = { keepColumns: ['income'], reviewConfidenceBelow: 0.6 };
const pred = (label: string, confidence: number) => ({ label, score: confidence, confidence });

describe.each(ADAPTERS)('%s prediction log', (_name, open) => {
  let log: PredictionLog;
  beforeAll(async () => {
    log = await open();
  }, 180_000);
  afterAll(async () => log?.close());

  it('reads recorded rows back in answer order, kept columns only, and pages with afterSeq', async () => {
    await log.setConfig('paged', CONFIG);
    const ids = Array.from({ length: 30 }, (_, i) => `paged-${i}`);
    log.record('paged', 'v1', ids.slice(0, 10), ids.slice(0, 10).map(() => ({ income: 50, ssn: 'x' })), ids.slice(0, 10).map(() => pred('1', 0.9)));
    log.record('paged', 'v2', ids.slice(10), ids.slice(10).map(() => ({ income: 60 })), ids.slice(10).map(() => pred('0', 0.9)));
    const first = await log.read('paged', { afterSeq: 0, limit: 12 });
    const rest = await log.read('paged', { afterSeq: first.nextSeq, limit: 100 });
    expect([...first.entries, ...rest.entries].map((e) => e.id)).toEqual(ids);
    expect(first.entries[0]).toMatchObject({ version: 'v1', label: '1', inputs: { income: 50 } });
    expect((await log.read('paged', { afterSeq: 0, limit: 100, version: 'v2' })).entries.map((e) => e.id)).toEqual(ids.slice(10));
  });

  it('counts feedback per version in the tallies and lists labelled rows with their outcome', async () => {
    await log.setConfig('fb', CONFIG);
    log.record('fb', 'v1', ['fb-a', 'fb-b', 'fb-c'], [{ income: 1 }, { income: 2 }, { income: 3 }], [pred('1', 0.9), pred('1', 0.9), pred('0', 0.9)]);
    await log.addFeedback('fb', [
      { predictionId: 'fb-a', outcome: '1', source: 'api' }, { predictionId: 'fb-b', outcome: '0', source: 'api' }, { predictionId: 'fb-c', kpi: 2.5, source: 'api' },
    ]);
    // A later KPI for an already labelled row keeps its outcome.
    await log.addFeedback('fb', [{ predictionId: 'fb-a', kpi: 1.5, source: 'api' }]);
    expect(await log.tallies('fb')).toEqual([{ version: 'v1', labelled: 2, correct: 1, kpiCount: 2, kpiSum: 4, kpiMin: 1.5, kpiMax: 2.5 }]);
    expect(await log.labelled('fb', 10)).toEqual([
      { predictionId: 'fb-a', version: 'v1', inputs: { income: 1 }, outcome: '1' }, { predictionId: 'fb-b', version: 'v1', inputs: { income: 2 }, outcome: '0' },
    ]);
  });

  it('counts in tallies since a time only the feedback on predictions made from then on (an A/B experiment counts its own users)', async () => {
    log.record('since', 'v1', ['old-1'], [{ income: 1 }], [pred('1', 0.9)]);
    await new Promise((r) => setTimeout(r, 20)); // the next rows are stamped strictly later
    const since = Date.now();
    log.record('since', 'v1', ['new-1', 'new-2'], [{ income: 2 }, { income: 3 }], [pred('1', 0.9), pred('0', 0.9)]);
    await log.addFeedback('since', [{ predictionId: 'old-1', kpi: 9, source: 'api' }, { predictionId: 'new-1', kpi: 1, source: 'api' }, { predictionId: 'new-2', kpi: 0, source: 'api' }]);
    expect(await log.tallies('since', { since })).toEqual([{ version: 'v1', labelled: 0, correct: 0, kpiCount: 2, kpiSum: 1, kpiMin: 0, kpiMax: 1 }]);
    expect(await log.tallies('since')).toEqual([{ version: 'v1', labelled: 0, correct: 0, kpiCount: 3, kpiSum: 10, kpiMin: 0, kpiMax: 9 }]);
  });

  it('stores nothing of a feedback batch with one unknown id', async () => {
    log.record('strict', 'v1', ['s-1'], [{}], [pred('1', 0.9)]);
    await expect(log.addFeedback('strict', [{ predictionId: 's-1', outcome: '1', source: 'api' }, { predictionId: 'nope', outcome: '1', source: 'api' }]))
      .rejects.toBeInstanceOf(UnknownPredictionError);
    expect(await log.tallies('strict')).toEqual([]);
    expect([...(await log.find('strict', ['s-1', 'nope'])).keys()]).toEqual(['s-1']);
  });

  it('queues low-confidence rows for review, and a label moves the row to labelled and counts as feedback', async () => {
    await log.setConfig('rev', CONFIG);
    log.record('rev', 'v1', ['r-low', 'r-high'], [{ income: 7, name: 'Ann' }, { income: 8 }], [pred('1', 0.55), pred('1', 0.95)]);
    const pending = await log.reviewList('rev', { status: 'pending', limit: 10 });
    expect(pending.map((i) => ({ id: i.predictionId, inputs: i.inputs, predicted: i.predicted }))).toEqual([{ id: 'r-low', inputs: { income: 7 }, predicted: '1' }]);
    const labelled = await log.reviewLabel('rev', 'r-low', { label: '0', reviewer: 'alice@example.com' });
    expect(labelled).toMatchObject({ status: 'ok', item: { status: 'labelled', reviewer: 'alice@example.com', observed: '0' } });
    expect(await log.reviewLabel('rev', 'r-high', { label: '0', reviewer: 'alice@example.com' })).toEqual({ status: 'not_found' });
    expect(await log.reviewList('rev', { status: 'pending', limit: 10 })).toEqual([]);
    expect(await log.tallies('rev')).toEqual([{ version: 'v1', labelled: 1, correct: 0, kpiCount: 0, kpiSum: 0, kpiMin: null, kpiMax: null }]);
  });

  it('keeps rows, feedback and the monitoring config across a close and a reopen (a gateway restart)', async () => {
    await log.setConfig('restart', CONFIG);
    const ids = Array.from({ length: 25 }, (_, i) => `restart-${i}`);
    log.record('restart', 'v1', ids, ids.map(() => ({ income: 1 })), ids.map(() => pred('1', 0.9)));
    await log.close();
    log = await open();
    expect((await log.read('restart', { afterSeq: 0, limit: 100 })).entries.map((e) => e.id)).toEqual(ids);
    await log.addFeedback('restart', [{ predictionId: ids[0], outcome: '1', source: 'api' }]);
    await log.close();
    log = await open();
    expect({ config: log.config('restart'), tallies: await log.tallies('restart') }).toEqual({ config: CONFIG, tallies: [{ version: 'v1', labelled: 1, correct: 1, kpiCount: 0, kpiSum: 0, kpiMin: null, kpiMax: null }] });
  }, 60_000);
});
