/**
 * The gateway's prediction log: every answered row (id, version, label, score, confidence and the
 * kept feature inputs) for drift checks, delayed feedback and the review queue. The predict hot
 * path only pushes to an in-memory buffer; a timer appends the buffer to SQLite in one transaction
 * (`<stateDir>/predictions.sqlite`), so no request ever waits on a disk write.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Prediction, Row } from '../domain/model/bundle';
import type { LabelTally } from '../domain/monitor/kpi-verdict';
import { keptInputs, needsReview, type MonitoringConfig } from '../domain/monitor/review-rules';
import { REVIEW_DDL } from './review-queue';

export interface PredictionLogOptions {
  stateDir: string;
  /** How often the buffer is appended to SQLite. @default 250 */
  flushMs?: number;
  /** Buffered rows beyond this are dropped (and counted) rather than slowing predictions. @default 100000 */
  maxBuffered?: number;
}

export interface LoggedPrediction {
  seq: number;
  id: string;
  version: string;
  at: number;
  label: string;
  score: number;
  confidence: number;
  inputs: Row;
}

export interface FeedbackItem {
  predictionId: string;
  outcome?: string;
  kpi?: number;
  source: 'api' | 'review';
}

export interface PredictionLog {
  readonly db: Database.Database;
  record(model: string, version: string, ids: string[], rows: Row[], preds: Prediction[]): void;
  /** Appends the buffer now (readers call it first, so they see every answered request). */
  flush(): void;
  setConfig(model: string, config: MonitoringConfig): void;
  config(model: string): MonitoringConfig | undefined;
  read(model: string, q: { afterSeq: number; limit: number; version?: string }): { entries: LoggedPrediction[]; nextSeq: number };
  /** Predicted label and version of each known id of this model. */
  find(model: string, ids: string[]): Map<string, { version: string; label: string }>;
  addFeedback(model: string, items: FeedbackItem[]): void;
  tallies(model: string): LabelTally[];
  /** Logged inputs joined with their observed outcome (API feedback and review labels), oldest first. */
  labelled(model: string, limit: number): Array<{ predictionId: string; version: string; inputs: Row; outcome: string }>;
  dropped(): number;
  close(): void;
}

const DDL = `
CREATE TABLE IF NOT EXISTS predictions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, model TEXT NOT NULL, version TEXT NOT NULL,
  at INTEGER NOT NULL, label TEXT NOT NULL, score REAL NOT NULL, confidence REAL NOT NULL, inputs TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS predictions_model_seq ON predictions (model, seq);
CREATE TABLE IF NOT EXISTS feedback (prediction_id TEXT PRIMARY KEY, model TEXT NOT NULL, version TEXT NOT NULL, outcome TEXT, correct INTEGER,
  kpi REAL, source TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS feedback_model ON feedback (model);
CREATE TABLE IF NOT EXISTS monitoring_config (model TEXT PRIMARY KEY, config TEXT NOT NULL);
`;

interface Pending {
  id: string;
  model: string;
  version: string;
  at: number;
  pred: Prediction;
  inputs: string;
  review: boolean;
}

type PredictionRow = Omit<LoggedPrediction, 'inputs'> & { inputs: string };

/** Rows written per event-loop turn by the background flush (about a millisecond of work). */
const FLUSH_SLICE = 64;

export function openPredictionLog(options: PredictionLogOptions): PredictionLog {
  mkdirSync(options.stateDir, { recursive: true });
  const db = new Database(path.join(options.stateDir, 'predictions.sqlite'));
  db.pragma('journal_mode = WAL');
  // The append runs on the serving event loop: no fsync per batch. WAL with NORMAL cannot corrupt;
  // a power cut may lose the last batches of a log that is for monitoring, not for the audit.
  db.pragma('synchronous = NORMAL');
  // Prediction ids are random: their unique index is written all over. Keep it in memory (64 MiB)
  // rather than paging from disk on every batch.
  db.pragma('cache_size = -65536');
  db.pragma('busy_timeout = 5000');
  db.exec(DDL + REVIEW_DDL);
  const configs = new Map<string, MonitoringConfig>(
    (db.prepare('SELECT model, config FROM monitoring_config').all() as Array<{ model: string; config: string }>).map((r) => [r.model, JSON.parse(r.config) as MonitoringConfig]),
  );
  const maxBuffered = options.maxBuffered ?? 100_000;
  let buffer: Pending[] = [];
  let droppedRows = 0;
  const insert = db.prepare('INSERT OR IGNORE INTO predictions (id, model, version, at, label, score, confidence, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const enqueue = db.prepare("INSERT OR IGNORE INTO review (prediction_id, model, version, at, label, confidence, inputs, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
  const append = db.transaction((batch: Pending[]) => {
    for (const p of batch) {
      insert.run(p.id, p.model, p.version, p.at, p.pred.label, p.pred.score, p.pred.confidence, p.inputs);
      if (p.review) enqueue.run(p.id, p.model, p.version, p.at, p.pred.label, p.pred.confidence, p.inputs);
    }
  });
  const flush = () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    append(batch);
  };
  // The timer writes in small slices, yielding to the event loop between them: one big batch
  // (5,000 rows at high load) would stall every request behind it for tens of milliseconds.
  let draining = false;
  let closed = false;
  const drainSlice = () => {
    // close() flushed everything and shut the database; a slice queued before it has nothing to do.
    if (closed) return;
    append(buffer.splice(0, FLUSH_SLICE));
    if (buffer.length > 0) setImmediate(drainSlice);
    else draining = false;
  };
  const timer = setInterval(() => {
    if (draining || buffer.length === 0) return;
    draining = true;
    drainSlice();
  }, options.flushMs ?? 250);
  timer.unref();
  const upsertFeedback = db.prepare(`INSERT INTO feedback (prediction_id, model, version, outcome, correct, kpi, source, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (prediction_id) DO UPDATE SET outcome = COALESCE(excluded.outcome, outcome), correct = COALESCE(excluded.correct, correct),
    kpi = COALESCE(excluded.kpi, kpi), source = excluded.source, at = excluded.at`);
  const log: PredictionLog = {
    db,
    record(model, version, ids, rows, preds) {
      const config = configs.get(model);
      const at = Date.now();
      for (let i = 0; i < preds.length; i++) {
        if (buffer.length >= maxBuffered) {
          droppedRows += preds.length - i;
          return;
        }
        buffer.push({ id: ids[i], model, version, at, pred: preds[i], inputs: JSON.stringify(keptInputs(rows[i], config)), review: needsReview(preds[i].confidence, config) });
      }
    },
    flush,
    setConfig(model, config) {
      configs.set(model, config);
      db.prepare('INSERT INTO monitoring_config (model, config) VALUES (?, ?) ON CONFLICT (model) DO UPDATE SET config = excluded.config').run(model, JSON.stringify(config));
    },
    config: (model) => configs.get(model),
    read(model, q) {
      flush();
      const sql = `SELECT seq, id, version, at, label, score, confidence, inputs FROM predictions WHERE model = ? AND seq > ? ${q.version ? 'AND version = ?' : ''} ORDER BY seq LIMIT ?`;
      const args: unknown[] = q.version ? [model, q.afterSeq, q.version, q.limit] : [model, q.afterSeq, q.limit];
      const rows = db.prepare(sql).all(...args) as PredictionRow[];
      const entries = rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as Row }));
      return { entries, nextSeq: entries.length ? entries[entries.length - 1].seq : q.afterSeq };
    },
    find(model, ids) {
      flush();
      const stmt = db.prepare('SELECT version, label FROM predictions WHERE model = ? AND id = ?');
      const out = new Map<string, { version: string; label: string }>();
      for (const id of ids) {
        const r = stmt.get(model, id) as { version: string; label: string } | undefined;
        if (r) out.set(id, r);
      }
      return out;
    },
    addFeedback(model, items) {
      const known = log.find(model, items.map((i) => i.predictionId));
      db.transaction(() => {
        for (const it of items) {
          const p = known.get(it.predictionId);
          if (!p) throw new Error(`prediction ${it.predictionId} is not logged for ${model}`);
          const correct = it.outcome === undefined ? null : it.outcome === p.label ? 1 : 0;
          upsertFeedback.run(it.predictionId, model, p.version, it.outcome ?? null, correct, it.kpi ?? null, it.source, Date.now());
        }
      })();
    },
    tallies(model) {
      const rows = db.prepare(`SELECT version, COUNT(outcome) AS labelled, COALESCE(SUM(correct), 0) AS correct, COUNT(kpi) AS kpiCount,
        COALESCE(SUM(kpi), 0) AS kpiSum FROM feedback WHERE model = ? GROUP BY version ORDER BY version`).all(model);
      return rows as LabelTally[];
    },
    labelled(model, limit) {
      const rows = db.prepare(`SELECT p.id AS predictionId, p.version, p.inputs, f.outcome FROM feedback f JOIN predictions p ON p.id = f.prediction_id
        WHERE f.model = ? AND f.outcome IS NOT NULL ORDER BY p.seq LIMIT ?`).all(model, limit) as Array<{ predictionId: string; version: string; inputs: string; outcome: string }>;
      return rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as Row }));
    },
    dropped: () => droppedRows,
    close() {
      clearInterval(timer);
      flush();
      closed = true;
      db.close();
    },
  };
  return log;
}
