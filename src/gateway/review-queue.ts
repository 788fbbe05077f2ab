/**
 * The human review queue: low-confidence predictions (queued by the prediction log when it appends
 * them, with the kept inputs only) that a person labels. A label is also recorded as feedback, so
 * it counts toward the online KPI like any delayed label.
 */
import type { Row } from '../domain/model/bundle';
import type { PredictionLog } from './prediction-log';
import { ReviewStatus, type ReviewItem } from '../domain/monitor/review-rules';

export { ReviewStatus };


export type { ReviewItem };

interface ReviewRow {
  prediction_id: string;
  version: string;
  at: number;
  label: string;
  confidence: number;
  inputs: string;
  status: ReviewStatus;
  reviewer: string | null;
  observed: string | null;
}

const toItem = (r: ReviewRow): ReviewItem => ({
  predictionId: r.prediction_id, version: r.version, at: new Date(r.at).toISOString(), predicted: r.label, confidence: r.confidence,
  inputs: JSON.parse(r.inputs) as Row, status: r.status, reviewer: r.reviewer, observed: r.observed,
});

export type LabelResult = { status: 'ok'; item: ReviewItem } | { status: 'not_found' };

export interface ReviewQueue {
  list(model: string, q: { status: ReviewStatus; limit: number }): ReviewItem[];
  /** Idempotent: labelling again replaces the label and the feedback. */
  label(model: string, predictionId: string, input: { label: string; reviewer: string }): LabelResult;
}

export function createReviewQueue({ log }: { log: PredictionLog }): ReviewQueue {
  const get = (model: string, id: string) => log.db.prepare('SELECT * FROM review WHERE model = ? AND prediction_id = ?').get(model, id) as ReviewRow | undefined;
  return {
    list(model, q) {
      log.flush();
      const rows = log.db.prepare('SELECT * FROM review WHERE model = ? AND status = ? ORDER BY at, prediction_id LIMIT ?').all(model, q.status, q.limit) as ReviewRow[];
      return rows.map(toItem);
    },
    label(model, predictionId, input) {
      log.flush();
      if (!get(model, predictionId)) return { status: 'not_found' };
      log.db.transaction(() => {
        log.db.prepare("UPDATE review SET status = 'labelled', reviewer = ?, observed = ?, labelled_at = ? WHERE model = ? AND prediction_id = ?").run(input.reviewer, input.label, Date.now(), model, predictionId);
        log.addFeedback(model, [{ predictionId, outcome: input.label, source: 'review' }]);
      })();
      return { status: 'ok', item: toItem(get(model, predictionId) as ReviewRow) };
    },
  };
}
