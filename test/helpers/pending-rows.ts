/** Builds the prediction log's column batches from rows written out one by one, for the log's tests. */
import { emptyBatch, type PendingBatch } from '../../src/adapters/prediction-log/pending-batch';

export interface PendingRow {
  id: string;
  model: string;
  version: string;
  at: number;
  label: string;
  score: number;
  confidence: number;
  inputs: string;
  review: boolean;
}

export function batchOf(rows: PendingRow[]): PendingBatch {
  const b = emptyBatch();
  for (const r of rows) {
    b.ids.push(r.id);
    b.models.push(r.model);
    b.versions.push(r.version);
    b.at.push(r.at);
    b.labels.push(r.label);
    b.scores.push(r.score);
    b.confidences.push(r.confidence);
    b.inputs.push(r.inputs);
    b.review.push(r.review);
  }
  return b;
}
