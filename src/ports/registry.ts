/**
 * Model registry port: versions with full lineage, aliases moved by compare-and-set with an
 * audit history, and a per-model release lock. Adapters: `src/adapters/registry/sqlite.ts`
 * (embedded default); PostgreSQL later. Async so networked adapters fit the same interface.
 */
import type { Alias, AliasChange, AliasMap } from '../domain/registry/aliases';

export { Alias, type AliasChange, type AliasMap } from '../domain/registry/aliases';

export interface VersionInput {
  model: string;
  releaseId: string;
  artifactId: string;
  snapshotId: string;
  codeVersion: string;
  trainer: string;
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  metrics: Record<string, number>;
  modelCardPath?: string;
}

export interface ModelVersion extends VersionInput {
  version: number;
  createdAt: string;
}

export type LockResult = { ok: true } | { ok: false; holder: string; since: string };

export interface AliasMoveInput {
  model: string;
  alias: Alias;
  /** The value the caller believes is current (null = unset); a mismatch fails with AliasConflict. */
  expected: string | null;
  next: string | null;
  actor: string;
  reason: string;
  releaseId?: string;
}

export interface Registry {
  /** Idempotent: the same (model, releaseId, artifactId) returns the version already registered. */
  registerVersion(input: VersionInput): Promise<ModelVersion>;
  getVersion(model: string, version: number): Promise<ModelVersion | null>;
  listVersions(model: string): Promise<ModelVersion[]>;
  getAliases(model: string): Promise<AliasMap>;
  /** Compare-and-set; throws ApplicationFailure AliasConflict when the current value is not `expected`. */
  moveAlias(input: AliasMoveInput): Promise<AliasMap>;
  aliasHistory(model: string): Promise<AliasChange[]>;
  acquireReleaseLock(input: { model: string; releaseId: string }): Promise<LockResult>;
  /** Releases only a lock this release holds; returns whether it did. */
  releaseReleaseLock(input: { model: string; releaseId: string }): Promise<boolean>;
  /** champion = artifact, previous = old champion, candidate cleared; a no-op if this release already did it. */
  promote(input: { model: string; releaseId: string; artifactId: string; actor: string; reason: string }): Promise<AliasMap>;
  /** Undo a promotion of `artifactId`: champion = previous. A no-op when champion is no longer `artifactId`. */
  restorePrevious(input: { model: string; releaseId: string; artifactId: string; actor: string; reason: string }): Promise<AliasMap>;
  /** Make an older artifact champion again (the manual rollback command). A no-op if it already is. */
  rollbackTo(input: { model: string; artifactId: string; actor: string; reason: string; releaseId?: string }): Promise<AliasMap>;
  close(): void;
}
