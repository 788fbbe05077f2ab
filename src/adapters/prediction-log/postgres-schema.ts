/**
 * The PostgreSQL prediction log's migrations and statements. Tables carry a `prediction_` prefix
 * because they share a database with the registry, the approvals store and the routing store.
 */
import type { Migration } from '../postgres/migrate';

export const PREDICTION_LOG_MIGRATIONS: Migration[] = [
  {
    id: 'prediction-log-001-initial',
    sql: `
CREATE TABLE predictions (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL UNIQUE, model TEXT NOT NULL, version TEXT NOT NULL,
  at BIGINT NOT NULL, label TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, confidence DOUBLE PRECISION NOT NULL, inputs TEXT NOT NULL);
CREATE INDEX predictions_model_seq ON predictions (model, seq);
CREATE TABLE prediction_feedback (prediction_id TEXT PRIMARY KEY, model TEXT NOT NULL, version TEXT NOT NULL, outcome TEXT, correct INTEGER,
  kpi DOUBLE PRECISION, source TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX prediction_feedback_model ON prediction_feedback (model);
CREATE TABLE prediction_monitoring_config (model TEXT PRIMARY KEY, config TEXT NOT NULL);
CREATE TABLE prediction_review (prediction_id TEXT PRIMARY KEY, model TEXT NOT NULL, version TEXT NOT NULL, at BIGINT NOT NULL,
  label TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, inputs TEXT NOT NULL, status TEXT NOT NULL, reviewer TEXT, observed TEXT, labelled_at BIGINT);
CREATE INDEX prediction_review_model_status ON prediction_review (model, status, at);
`,
  },
];

/**
 * Appends are serialized across replicas by this transaction lock, so identity values are handed
 * out in commit order: a reader that saw seq N has already seen every committed row below N, and
 * paging with `afterSeq` never skips a row that commits late. One lock per batch (every 250 ms per
 * replica) costs nothing measurable.
 */
export const APPEND_LOCK = "SELECT pg_advisory_xact_lock(hashtext('mlgate-prediction-log'))";

/** One batch as column arrays; WITH ORDINALITY keeps the answer order in `seq`. Idempotent on id. */
export const APPEND = `INSERT INTO predictions (id, model, version, at, label, score, confidence, inputs)
SELECT id, model, version, at, label, score, confidence, inputs
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::float8[], $7::float8[], $8::text[])
  WITH ORDINALITY AS b(id, model, version, at, label, score, confidence, inputs, n)
ORDER BY n ON CONFLICT (id) DO NOTHING`;

export const ENQUEUE_REVIEW = `INSERT INTO prediction_review (prediction_id, model, version, at, label, confidence, inputs, status)
SELECT id, model, version, at, label, confidence, inputs, 'pending'
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::float8[], $7::text[]) AS b(id, model, version, at, label, confidence, inputs)
ON CONFLICT (prediction_id) DO NOTHING`;

export const UPSERT_FEEDBACK = `INSERT INTO prediction_feedback (prediction_id, model, version, outcome, correct, kpi, source, at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::text[], $8::bigint[])
ON CONFLICT (prediction_id) DO UPDATE SET outcome = COALESCE(excluded.outcome, prediction_feedback.outcome),
  correct = COALESCE(excluded.correct, prediction_feedback.correct), kpi = COALESCE(excluded.kpi, prediction_feedback.kpi),
  source = excluded.source, at = excluded.at`;

const TALLY_COLUMNS = `f.version, COUNT(f.outcome)::int AS labelled, COALESCE(SUM(f.correct), 0)::int AS correct, COUNT(f.kpi)::int AS "kpiCount",
  COALESCE(SUM(f.kpi), 0)::float8 AS "kpiSum", MIN(f.kpi)::float8 AS "kpiMin", MAX(f.kpi)::float8 AS "kpiMax"`;
export const TALLIES = `SELECT ${TALLY_COLUMNS} FROM prediction_feedback f WHERE f.model = $1 GROUP BY f.version ORDER BY f.version COLLATE "C"`;
/** Only feedback on predictions made from `since` on: an experiment counts its own users' outcomes. */
export const TALLIES_SINCE = `SELECT ${TALLY_COLUMNS} FROM prediction_feedback f JOIN predictions p ON p.id = f.prediction_id
  WHERE f.model = $1 AND p.at >= $2 GROUP BY f.version ORDER BY f.version COLLATE "C"`;

export const LABELLED = `SELECT p.id AS "predictionId", p.version, p.inputs, f.outcome FROM prediction_feedback f JOIN predictions p ON p.id = f.prediction_id
  WHERE f.model = $1 AND f.outcome IS NOT NULL ORDER BY p.seq LIMIT $2`;
