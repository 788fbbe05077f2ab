/**
 * The prediction log in PostgreSQL (`pg`), chosen by MLGATE_DATABASE_URL so every gateway replica
 * shares it: feedback for a prediction answered by one replica is accepted by any other, and the
 * monitor reads every replica's rows. The predict path only pushes to the buffer; a timer appends
 * it in one transaction per batch, off the request path. A batch that cannot be written (the
 * database is down or restarting) goes back to the front of the buffer and is retried on the next
 * tick, so an outage delays rows but loses none (up to the buffer bound, past which new rows are
 * dropped and counted, as with SQLite). Monitoring configs are re-read every `configRereadMs`, since
 * the monitor pushes them to one replica.
 */
import type { Pool, PoolClient } from 'pg';
import type { LabelTally } from '../../domain/monitor/kpi-verdict';
import type { MonitoringConfig } from '../../domain/monitor/review-rules';
import { UnknownPredictionError, type FeedbackItem, type LabelledRow, type LoggedPrediction, type PredictionLog } from '../../ports/prediction-log';
import { migratedPool } from '../postgres/migrated-pool';
import { inTransaction } from '../postgres/transaction';
import { createPendingBuffer, toReviewItem, type ReviewRow } from './pending-buffer';
import { APPEND, APPEND_LOCK, ENQUEUE_REVIEW, LABELLED, PREDICTION_LOG_MIGRATIONS, TALLIES, TALLIES_SINCE, UPSERT_FEEDBACK } from './postgres-schema';
import { pickRows, type PendingBatch } from './pending-batch';

export interface PostgresPredictionLogOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** How often the buffer is appended. @default 250 */
  flushMs?: number;
  /** Buffered rows beyond this are dropped (and counted) rather than slowing predictions. @default 100000 */
  maxBuffered?: number;
  /** How often monitoring configs pushed to another replica are picked up. @default 5000 */
  configRereadMs?: number;
  /** A failed background append or re-read; the log keeps the rows and retries. */
  onError?: (err: Error) => void;
}

type DbPrediction = Omit<LoggedPrediction, 'seq' | 'at' | 'inputs'> & { seq: string; at: string; inputs: string };

async function append(pool: Pool, b: PendingBatch): Promise<void> {
  const review = pickRows(b, b.review.flatMap((r, i) => (r ? [i] : [])));
  await inTransaction(pool, async (c) => {
    await c.query(APPEND_LOCK);
    await c.query(APPEND, [b.ids, b.models, b.versions, b.at, b.labels, b.scores, b.confidences, b.inputs]);
    if (review.ids.length > 0) await c.query(ENQUEUE_REVIEW, [review.ids, review.models, review.versions, review.at, review.labels, review.confidences, review.inputs]);
  });
}

async function findIn(c: Pool | PoolClient, model: string, ids: string[]): Promise<Map<string, { version: string; label: string }>> {
  const { rows } = await c.query<{ id: string; version: string; label: string }>('SELECT id, version, label FROM predictions WHERE model = $1 AND id = ANY($2::text[])', [model, ids]);
  return new Map(rows.map((r) => [r.id, { version: r.version, label: r.label }]));
}

/** Stores every item or none, in the caller's transaction. */
async function storeFeedback(c: PoolClient, model: string, items: FeedbackItem[]): Promise<void> {
  const known = await findIn(c, model, items.map((i) => i.predictionId));
  const missing = items.find((it) => !known.has(it.predictionId));
  if (missing) throw new UnknownPredictionError(model, missing.predictionId);
  const at = Date.now();
  const cols = items.map((it) => {
    const p = known.get(it.predictionId)!;
    return [it.predictionId, model, p.version, it.outcome ?? null, it.outcome === undefined ? null : it.outcome === p.label ? 1 : 0, it.kpi ?? null, it.source, at] as const;
  });
  await c.query(UPSERT_FEEDBACK, Array.from({ length: 8 }, (_, i) => cols.map((row) => row[i])));
}

/** Opens the log once its migrations ran (a bad URL or a refused migration rejects here). */
export async function openPostgresPredictionLog(o: PostgresPredictionLogOptions): Promise<PredictionLog> {
  const { pool, ready } = migratedPool(o.url, PREDICTION_LOG_MIGRATIONS, 4);
  const configs = new Map<string, MonitoringConfig>();
  const rereadConfigs = async () => {
    const { rows } = await pool.query<{ model: string; config: string }>('SELECT model, config FROM prediction_monitoring_config');
    for (const r of rows) configs.set(r.model, JSON.parse(r.config) as MonitoringConfig);
  };
  try {
    await ready;
    await rereadConfigs();
  } catch (err) {
    await pool.end();
    throw err;
  }
  const report = (err: Error) => o.onError?.(err);
  const buffer = createPendingBuffer(o.maxBuffered);
  // Appends run one after another, in buffer order; `writing` is the tail of that chain.
  let writing: Promise<void> = Promise.resolve();
  const ship = (): Promise<void> => {
    const run = writing.then(async () => {
      const batch = buffer.take();
      if (batch.ids.length === 0) return;
      try {
        await append(pool, batch);
      } catch (err) {
        buffer.putBack(batch);
        throw err;
      }
    });
    writing = run.catch(() => undefined);
    return run;
  };
  // While the database is down every tick fails: report the first failure of a run, not each one.
  let failing = false;
  const tick = () => ship().then(() => void (failing = false), (err: Error) => {
    if (!failing) report(err);
    failing = true;
  });
  const timer = setInterval(() => void tick(), o.flushMs ?? 250);
  timer.unref();
  const configTimer = setInterval(() => void rereadConfigs().catch(report), o.configRereadMs ?? 5000);
  configTimer.unref();
  const reviewRow = async (model: string, id: string) => (await pool.query<ReviewRow>('SELECT * FROM prediction_review WHERE model = $1 AND prediction_id = $2', [model, id])).rows[0];

  return {
    record: (model, version, ids, rows, preds) => buffer.push(model, version, ids, rows, preds, configs.get(model)),
    flush: ship,
    async setConfig(model, config) {
      await pool.query('INSERT INTO prediction_monitoring_config (model, config) VALUES ($1, $2) ON CONFLICT (model) DO UPDATE SET config = excluded.config', [model, JSON.stringify(config)]);
      configs.set(model, config);
    },
    config: (model) => configs.get(model),
    async read(model, q) {
      await ship();
      const args: unknown[] = q.version ? [model, q.afterSeq, q.limit, q.version] : [model, q.afterSeq, q.limit];
      const { rows } = await pool.query<DbPrediction>(`SELECT seq, id, version, at, label, score, confidence, inputs FROM predictions
        WHERE model = $1 AND seq > $2 ${q.version ? 'AND version = $4' : ''} ORDER BY seq LIMIT $3`, args);
      const entries = rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at), inputs: JSON.parse(r.inputs) as LoggedPrediction['inputs'] }));
      return { entries, nextSeq: entries.length ? entries[entries.length - 1].seq : q.afterSeq };
    },
    async find(model, ids) {
      await ship();
      return findIn(pool, model, ids);
    },
    async addFeedback(model, items) {
      await ship();
      await inTransaction(pool, (c) => storeFeedback(c, model, items));
    },
    tallies: async (model, q = {}) => (await pool.query<LabelTally>(q.since === undefined ? TALLIES : TALLIES_SINCE, q.since === undefined ? [model] : [model, q.since])).rows,
    labelled: async (model, limit) => (await pool.query<Omit<LabelledRow, 'inputs'> & { inputs: string }>(LABELLED, [model, limit])).rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as LabelledRow['inputs'] })),
    async reviewList(model, q) {
      await ship();
      const { rows } = await pool.query<ReviewRow>('SELECT * FROM prediction_review WHERE model = $1 AND status = $2 ORDER BY at, prediction_id COLLATE "C" LIMIT $3', [model, q.status, q.limit]);
      return rows.map(toReviewItem);
    },
    async reviewLabel(model, predictionId, input) {
      await ship();
      const found = await inTransaction(pool, async (c) => {
        const { rowCount } = await c.query("UPDATE prediction_review SET status = 'labelled', reviewer = $1, observed = $2, labelled_at = $3 WHERE model = $4 AND prediction_id = $5",
          [input.reviewer, input.label, Date.now(), model, predictionId]);
        if (rowCount === 0) return false;
        await storeFeedback(c, model, [{ predictionId, outcome: input.label, source: 'review' }]);
        return true;
      });
      return found ? { status: 'ok', item: toReviewItem((await reviewRow(model, predictionId))!) } : { status: 'not_found' };
    },
    dropped: () => buffer.dropped(),
    async close() {
      clearInterval(timer);
      clearInterval(configTimer);
      await ship().catch(report);
      await pool.end();
    },
  };
}
