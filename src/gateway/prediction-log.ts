/**
 * The gateway's prediction log: every answered row (id, version, label, score, confidence and the
 * kept feature inputs) for drift checks, delayed feedback and the review queue, in
 * `<stateDir>/predictions.sqlite`. The predict hot path only pushes to an in-memory buffer; a timer
 * hands the buffer to a writer thread (`log-writer/`), so no request ever waits on a disk write.
 * Readers first wait until every answered row is committed, so they see all of them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Prediction, Row } from '../domain/model/bundle';
import type { LabelTally } from '../domain/monitor/kpi-verdict';
import { keptInputs, needsReview, type MonitoringConfig } from '../domain/monitor/review-rules';
import { openLogDatabase, PREDICTIONS_DDL, type PendingPrediction } from './log-writer/append';
import { startLogWriter } from './log-writer/writer';

export interface PredictionLogOptions {
  stateDir: string;
  /** How often the buffer is handed to the writer thread. @default 250 */
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
  /** Per version; `since` (ms epoch) keeps only feedback on predictions made from then on (an experiment's own). */
  tallies(model: string, q?: { since?: number }): LabelTally[];
  /** Logged inputs joined with their observed outcome (API feedback and review labels), oldest first. */
  labelled(model: string, limit: number): Array<{ predictionId: string; version: string; inputs: Row; outcome: string }>;
  dropped(): number;
  close(): Promise<void>;
}

type PredictionRow = Omit<LoggedPrediction, 'inputs'> & { inputs: string };

export function openPredictionLog(options: PredictionLogOptions): PredictionLog {
  mkdirSync(options.stateDir, { recursive: true });
  const file = path.join(options.stateDir, 'predictions.sqlite');
  const db = openLogDatabase(file);
  db.exec(PREDICTIONS_DDL);
  const configs = new Map<string, MonitoringConfig>(
    (db.prepare('SELECT model, config FROM monitoring_config').all() as Array<{ model: string; config: string }>).map((r) => [r.model, JSON.parse(r.config) as MonitoringConfig]),
  );
  const maxBuffered = options.maxBuffered ?? 100_000;
  let buffer: PendingPrediction[] = [];
  let droppedRows = 0;
  const writer = startLogWriter({ file, db });
  const ship = () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    writer.send(batch);
  };
  const flush = () => {
    ship();
    writer.sync();
  };
  const timer = setInterval(ship, options.flushMs ?? 250);
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
        const p = preds[i];
        buffer.push({
          id: ids[i], model, version, at, label: p.label, score: p.score, confidence: p.confidence,
          inputs: JSON.stringify(keptInputs(rows[i], config)), review: needsReview(p.confidence, config),
        });
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
    tallies(model, q = {}) {
      const cols = `f.version, COUNT(f.outcome) AS labelled, COALESCE(SUM(f.correct), 0) AS correct, COUNT(f.kpi) AS kpiCount,
        COALESCE(SUM(f.kpi), 0) AS kpiSum, MIN(f.kpi) AS kpiMin, MAX(f.kpi) AS kpiMax`;
      const rows = q.since === undefined
        ? db.prepare(`SELECT ${cols} FROM feedback f WHERE f.model = ? GROUP BY f.version ORDER BY f.version`).all(model)
        : db.prepare(`SELECT ${cols} FROM feedback f JOIN predictions p ON p.id = f.prediction_id WHERE f.model = ? AND p.at >= ? GROUP BY f.version ORDER BY f.version`).all(model, q.since);
      return rows as LabelTally[];
    },
    labelled(model, limit) {
      const rows = db.prepare(`SELECT p.id AS predictionId, p.version, p.inputs, f.outcome FROM feedback f JOIN predictions p ON p.id = f.prediction_id
        WHERE f.model = ? AND f.outcome IS NOT NULL ORDER BY p.seq LIMIT ?`).all(model, limit) as Array<{ predictionId: string; version: string; inputs: string; outcome: string }>;
      return rows.map((r) => ({ ...r, inputs: JSON.parse(r.inputs) as Row }));
    },
    dropped: () => droppedRows,
    async close() {
      clearInterval(timer);
      flush();
      await writer.close();
      db.close();
    },
  };
  return log;
}
