/**
 * The gateway's prediction log: every answered row (id, version, label, score, confidence and the
 * kept feature inputs) for drift checks, delayed feedback and the review queue. SQLite in the
 * gateway's state folder by default (`adapters/prediction-log/sqlite`); with MLGATE_DATABASE_URL it
 * is PostgreSQL (`adapters/prediction-log/postgres`), shared by every gateway replica, so feedback
 * for a prediction answered by one replica is accepted by any other.
 *
 * Invariants every adapter keeps:
 * - `record` never waits on storage: it pushes to an in-memory buffer that a timer writes in batches.
 * - Readers first write what this process buffered, so they see every row it answered.
 * - Feedback and review labels are stored before their promise resolves (nothing acknowledged is lost).
 * - `seq` increases in commit order, so a reader paging with `afterSeq` never skips a row.
 */
import type { Prediction, Row } from '../domain/model/bundle';
import type { LabelTally } from '../domain/monitor/kpi-verdict';
import type { MonitoringConfig, ReviewItem, ReviewStatus } from '../domain/monitor/review-rules';

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

export interface LabelledRow {
  predictionId: string;
  version: string;
  inputs: Row;
  outcome: string;
}

export type LabelResult = { status: 'ok'; item: ReviewItem } | { status: 'not_found' };

/** Thrown by `addFeedback` when an id is not logged for the model; nothing of the batch is stored. */
export class UnknownPredictionError extends Error {
  constructor(readonly model: string, readonly predictionId: string) {
    super(`prediction ${predictionId} is not logged for ${model}`);
    this.name = 'UnknownPredictionError';
  }
}

export interface PredictionLog {
  /** Buffers answered rows; never blocks, never throws. Rows beyond the buffer bound are dropped and counted. */
  record(model: string, version: string, ids: string[], rows: Row[], preds: Prediction[]): void;
  /** Writes this process's buffer now (readers call it first). */
  flush(): Promise<void>;
  setConfig(model: string, config: MonitoringConfig): Promise<void>;
  config(model: string): MonitoringConfig | undefined;
  read(model: string, q: { afterSeq: number; limit: number; version?: string }): Promise<{ entries: LoggedPrediction[]; nextSeq: number }>;
  /** Predicted label and version of each known id of this model. */
  find(model: string, ids: string[]): Promise<Map<string, { version: string; label: string }>>;
  /** Stores all items or none (`UnknownPredictionError` when an id is not logged). */
  addFeedback(model: string, items: FeedbackItem[]): Promise<void>;
  /** Per version; `since` (ms epoch) keeps only feedback on predictions made from then on (an experiment's own). */
  tallies(model: string, q?: { since?: number }): Promise<LabelTally[]>;
  /** Logged inputs joined with their observed outcome (API feedback and review labels), oldest first. */
  labelled(model: string, limit: number): Promise<LabelledRow[]>;
  /** The review queue: low-confidence rows (kept inputs only) waiting for a human label. */
  reviewList(model: string, q: { status: ReviewStatus; limit: number }): Promise<ReviewItem[]>;
  /** Idempotent: labelling again replaces the label and the feedback it recorded. */
  reviewLabel(model: string, predictionId: string, input: { label: string; reviewer: string }): Promise<LabelResult>;
  dropped(): number;
  close(): Promise<void>;
}
