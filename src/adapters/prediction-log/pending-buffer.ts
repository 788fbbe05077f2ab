/**
 * What both prediction-log adapters share: the bounded in-memory buffer the predict path pushes to
 * (it never waits on storage, and rows beyond the bound are dropped and counted rather than slowing
 * predictions), and the review row as both databases return it.
 */
import type { Prediction, Row } from '../../domain/model/bundle';
import { keptInputs, needsReview, type MonitoringConfig, type ReviewItem, type ReviewStatus } from '../../domain/monitor/review-rules';
import type { PendingPrediction } from './sqlite-writer/append';

export interface PendingBuffer {
  push(model: string, version: string, ids: string[], rows: Row[], preds: Prediction[], config: MonitoringConfig | undefined): void;
  /** Empties the buffer and returns what it held, oldest first. */
  take(): PendingPrediction[];
  /** Puts back a batch that could not be written, ahead of newer rows (it is retried first). */
  putBack(batch: PendingPrediction[]): void;
  size(): number;
  dropped(): number;
}

/** @param maxBuffered rows held at most; @default 100000 */
export function createPendingBuffer(maxBuffered = 100_000): PendingBuffer {
  let buffer: PendingPrediction[] = [];
  let droppedRows = 0;
  return {
    push(model, version, ids, rows, preds, config) {
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
    take() {
      const batch = buffer;
      buffer = [];
      return batch;
    },
    putBack(batch) {
      buffer = batch.concat(buffer);
    },
    size: () => buffer.length,
    dropped: () => droppedRows,
  };
}

/** A review row as stored (snake_case columns, inputs as JSON). */
export interface ReviewRow {
  prediction_id: string;
  version: string;
  at: number | string;
  label: string;
  confidence: number;
  inputs: string;
  status: ReviewStatus;
  reviewer: string | null;
  observed: string | null;
}

export const toReviewItem = (r: ReviewRow): ReviewItem => ({
  predictionId: r.prediction_id, version: r.version, at: new Date(Number(r.at)).toISOString(), predicted: r.label, confidence: r.confidence,
  inputs: JSON.parse(r.inputs) as Row, status: r.status, reviewer: r.reviewer, observed: r.observed,
});
