/** SQLite schema and row mapping for the registry adapter. */
import type { AliasChange, ModelVersion } from '../../ports/registry';

export const REGISTRY_DDL = `
CREATE TABLE IF NOT EXISTS versions (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  artifact_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  code_version TEXT NOT NULL,
  trainer TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  params_json TEXT NOT NULL,
  seed INTEGER NOT NULL,
  metrics_json TEXT NOT NULL,
  model_card_path TEXT,
  release_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model, version),
  UNIQUE (model, release_id, artifact_id)
);
CREATE TABLE IF NOT EXISTS aliases (
  model TEXT NOT NULL,
  alias TEXT NOT NULL CHECK (alias IN ('champion', 'previous', 'candidate')),
  artifact_id TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model, alias)
);
CREATE TABLE IF NOT EXISTS alias_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  from_artifact TEXT,
  to_artifact TEXT,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  release_id TEXT,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alias_history_model ON alias_history (model, id);
CREATE TABLE IF NOT EXISTS release_locks (
  model TEXT PRIMARY KEY,
  release_id TEXT NOT NULL,
  acquired_at TEXT NOT NULL
);
`;

export interface VersionRow {
  model: string; version: number; artifact_id: string; snapshot_id: string; code_version: string; trainer: string;
  algorithm: string; params_json: string; seed: number; metrics_json: string; model_card_path: string | null;
  release_id: string; created_at: string;
}

export function toVersion(r: VersionRow): ModelVersion {
  return {
    model: r.model, version: r.version, artifactId: r.artifact_id, snapshotId: r.snapshot_id, codeVersion: r.code_version,
    trainer: r.trainer, algorithm: r.algorithm, params: JSON.parse(r.params_json) as Record<string, unknown>, seed: r.seed,
    metrics: JSON.parse(r.metrics_json) as Record<string, number>, ...(r.model_card_path ? { modelCardPath: r.model_card_path } : {}),
    releaseId: r.release_id, createdAt: r.created_at,
  };
}

export interface HistoryRow {
  model: string; alias: string; from_artifact: string | null; to_artifact: string | null; actor: string; reason: string;
  release_id: string | null; at: string;
}

export function toChange(r: HistoryRow): AliasChange {
  return {
    model: r.model, alias: r.alias as AliasChange['alias'], from: r.from_artifact, to: r.to_artifact, actor: r.actor,
    reason: r.reason, releaseId: r.release_id, at: r.at,
  };
}
