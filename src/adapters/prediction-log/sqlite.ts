/**
 * The prediction log in `<stateDir>/predictions.sqlite` (the embedded default). The predict hot
 * path only pushes to an in-memory buffer; a timer hands the buffer to a writer thread
 * (`sqlite-writer/`), so no request ever waits on a disk write. Readers first wait until every
 * answered row is committed, so they see all of them. One process owns the file: replicas use
 * the PostgreSQL adapter.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LabelTally } from '../../domain/monitor/kpi-verdict';
import type { MonitoringConfig } from '../../domain/monitor/review-rules';
import { UnknownPredictionError, type LabelledRow, type LoggedPrediction, type PredictionLog } from '../../ports/prediction-log';
import { createPendingBuffer, toReviewItem, type ReviewRow } from './pending-buffer';
import { openLogDatabase, PREDICTIONS_DDL } from './sqlite-writer/append';
import { startLogWriter } from './sqlite-writer/writer';

export interface SqlitePredictionLogOptions {
  stateDir: string;
  /** How often the buffer is handed to the writer thread. @default 250 */
  flushMs?: number;
  /** Buffered rows beyond this are dropped (and counted) rather than slowing predictions. @default 100000 */
  maxBuffered?: number;
}

type PredictionRow = Omit<LoggedPrediction, 'inputs'> & { inputs: string };

const UPSERT_FEEDBACK = `INSERT INTO feedback (prediction_id, model, version, outcome, correct, kpi, source, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (prediction_id) DO UPDATE SET outcome = COALESCE(excluded.outcome, outcome), correct = COALESCE(excluded.correct, correct),
  kpi = COALESCE(excluded.kpi, kpi), source = excluded.source, at = excluded.at`;
const TALLY_COLUMNS = `f.version, COUNT(f.outcome) AS labelled, COALESCE(SUM(f.correct), 0) AS correct, COUNT(f.kpi) AS kpiCount,
  COALESCE(SUM(f.kpi), 0) AS kpiSum, MIN(f.kpi) AS kpiMin, MAX(f.kpi) AS kpiMax`;
const TALLIES = `SELECT ${TALLY_COLUMNS} FROM feedback f WHERE f.model = ? GROUP BY f.version ORDER BY f.version`;
/** Only feedback on predictions made from `since` on: an experiment counts its own users' outcomes. */
const TALLIES_SINCE = `SELECT ${TALLY_COLUMNS} FROM feedback f JOIN predictions p ON p.id = f.prediction_id WHERE f.model = ? AND p.at >= ?
  GROUP BY f.version ORDER BY f.version`;
const LABELLED = `SELECT p.id AS predictionId, p.version, p.inputs, f.outcome FROM feedback f JOIN predictions p ON p.id = f.prediction_id
  WHERE f.model = ? AND f.outcome IS NOT NULL ORDER BY p.seq LIMIT ?`;

export function openSqlitePredictionLog(options: SqlitePredictionLogOptions): PredictionLog {
  mkdirSync(options.stateDir, { recursive: true });
  const file = path.join(options.stateDir, 'predictions.sqlite');
  const db = openLogDatabase(file);
  db.exec(PREDICTIONS_DDL);
  const configs = new Map<string, MonitoringConfig>(
    (db.prepare('SELECT model, config FROM monitoring_config').all() as Array<{ model: string; config: string }>).map((r) => [r.model, JSON.parse(r.config) as MonitoringConfig]),
  );
  const buffer = createPendingBuffer(options.maxBuffered);
  const writer = startLogWriter({ file, db });
  const ship = () => writer.send(buffer.take());
  const flush = () => {
    ship();
    writer.sync();
  };
  const timer = setInterval(ship, options.flushMs ?? 250);
  timer.unref();
  const upsertFeedback = db.prepare(UPSERT_FEEDBACK);
  const findSync = (model: string, ids: string[]) => {
    flush();
    const stmt = db.prepare('SELECT version, label FROM predictions WHERE model = ? AND id = ?');
    const out = new Map<string, { version: string; label: string }>();
    for (const id of ids) {
      const r = stmt.get(model, id) as { version: string; label: string } | undefined;
      if (r) out.set(id, r);
    }
    return out;
  };
  const addFeedbackSync = db.transaction((model: string, items: Parameters<PredictionLog['addFeedback']>[1]) => {
    const known = findSync(model, items.map((i) => i.predictionId));
    for (const it of items) {
      const p = known.get(it.predictionId);
      if (!p) throw new UnknownPredictionError(model, it.predictionId);
      const correct = it.outcome === undefined ? null : it.outcome === p.label ? 1 : 0;
      upsertFeedback.run(it.predictionId, model, p.version, it.outcome ?? null, correct, it.kpi ?? null, it.source, Date.now());
    }
  });
  const getReview = (model: string, id: string) => db.prepare('SELECT * FROM review WHERE model = ? AND prediction_id = ?').get(model, id) as ReviewRow | undefined;
  const labelReview = db.transaction((model: string, predictionId: string, input: { label: string; reviewer: string }) => {
    db.prepare("UPDATE review SET status = 'labelled', reviewer = ?, observed = ?, labelled_at = ? WHERE model = ? AND prediction_id = ?").run(input.reviewer, input.label, Date.now(), model, predictionId);
    addFeedbackSync(model, [{ predictionId, outcome: input.label, source: 'review' }]);
  });
  return {
    record: (model, version, ids, rows, preds) => buffer.push(model, version, ids, rows, preds, configs.get(model)),
    flush: async () => flush(),
    async setConfig(model, config) {
      configs.set(model, config);
      db.prepare('INSERT INTO monitoring_config (model, config) VALUES (?, ?) ON CONFLICT (model) DO UPDATE SET config = excluded.config').run(model, JSON.stringify(config));
    },
    config: (model) => configs.get(model),
    async read(model, q) {
      flush();
      const sql = `SELECT seq, id, version, at, label, score, confidence, inputs FROM predictions WHERE model = ? AND seq > ? ${q.version ? 'AND version = ?' : ''} ORDER BY seq LIMIT ?`;
      const args: unknown[] = q.version ? [model, q.afterSeq, q.version, q.limit] : [model, q.afterSeq, q.limit];
      const entries = (db.prepare(sql).all(...args) as PredictionRow[]).map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as LoggedPrediction['inputs'] }));
      return { entries, nextSeq: entries.length ? entries[entries.length - 1].seq : q.afterSeq };
    },
    find: async (model, ids) => findSync(model, ids),
    addFeedback: async (model, items) => addFeedbackSync(model, items),
    tallies: async (model, q = {}) => (q.since === undefined ? db.prepare(TALLIES).all(model) : db.prepare(TALLIES_SINCE).all(model, q.since)) as LabelTally[],
    async labelled(model, limit) {
      const rows = db.prepare(LABELLED).all(model, limit) as Array<Omit<LabelledRow, 'inputs'> & { inputs: string }>;
      return rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as LabelledRow['inputs'] }));
    },
    async reviewList(model, q) {
      flush();
      const rows = db.prepare('SELECT * FROM review WHERE model = ? AND status = ? ORDER BY at, prediction_id LIMIT ?').all(model, q.status, q.limit) as ReviewRow[];
      return rows.map(toReviewItem);
    },
    async reviewLabel(model, predictionId, input) {
      flush();
      if (!getReview(model, predictionId)) return { status: 'not_found' };
      labelReview(model, predictionId, input);
      return { status: 'ok', item: toReviewItem(getReview(model, predictionId) as ReviewRow) };
    },
    dropped: () => buffer.dropped(),
    async close() {
      clearInterval(timer);
      flush();
      await writer.close();
      db.close();
    },
  };
}
