/**
 * What both prediction-log adapters share: the bounded in-memory buffer the predict path pushes to
 * (it never waits on storage, and rows beyond the bound are dropped and counted rather than slowing
 * predictions), and the review row as both databases return it.
 */
import type { Prediction, Row } from '../../domain/model/bundle';
import { keptInputs, needsReview, type MonitoringConfig, type ReviewItem, type ReviewStatus } from '../../domain/monitor/review-rules';
import { concatBatches, emptyBatch, type PendingBatch } from './pending-batch';

export interface PendingBuffer {
  push(model: string, version: string, ids: string[], rows: Row[], preds: Prediction[], config: MonitoringConfig | undefined): void;
  /** Empties the buffer and returns what it held, oldest first. */
  take(): PendingBatch;
  /** Puts back a batch that could not be written, ahead of newer rows (it is retried first). */
  putBack(batch: PendingBatch): void;
  size(): number;
  dropped(): number;
}

/** @param maxBuffered rows held at most; @default 100000 */
export function createPendingBuffer(maxBuffered = 100_000): PendingBuffer {
  let buffer = emptyBatch();
  let droppedRows = 0;
  return {
    push(model, version, ids, rows, preds, config) {
      const at = Date.now();
      const b = buffer;
      for (let i = 0; i < preds.length; i++) {
        if (b.ids.length >= maxBuffered) {
          droppedRows += preds.length - i;
          return;
        }
        const p = preds[i];
        b.ids.push(ids[i]);
        b.models.push(model);
        b.versions.push(version);
        b.at.push(at);
        b.labels.push(p.label);
        b.scores.push(p.score);
        b.confidences.push(p.confidence);
        b.inputs.push(JSON.stringify(keptInputs(rows[i], config)));
        b.review.push(needsReview(p.confidence, config));
      }
    },
    take() {
      const batch = buffer;
      buffer = emptyBatch();
      return batch;
    },
    putBack(batch) {
      buffer = concatBatches(batch, buffer);
    },
    size: () => buffer.ids.length,
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
