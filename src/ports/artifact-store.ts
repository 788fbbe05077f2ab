/**
 * Artifact store port: immutable, content-addressed model artifacts. The id is
 * `art-<first 16 hex of sha256(canonical bundle JSON)>`; the full hash is kept in the manifest. An
 * ONNX bundle names its model.onnx's sha256, so the id covers the model bytes as well.
 * Adapters: `src/adapters/artifact-store/fs.ts` (embedded default); an S3 adapter later.
 */
import type { ArtifactBundle } from '../domain/model/artifact-bundle';

export interface ArtifactLineage {
  model: string;
  snapshotId: string;
  trainer: string;
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  codeVersion: string;
}

export interface ArtifactManifest {
  artifactId: string;
  sha256: string;
  lineage: ArtifactLineage;
}

export interface PutArtifactResult {
  artifactId: string;
  sha256: string;
  /** True when the same bundle was already stored: nothing was written. */
  reused: boolean;
}

export interface ArtifactStore {
  /**
   * Stores a bundle with its lineage and training log, and the model file an ONNX bundle names
   * (its sha256 must match). Idempotent: the same bundle gives the same id.
   */
  put(input: { bundle: ArtifactBundle; modelFile?: Uint8Array; lineage: ArtifactLineage; trainLog: string }): Promise<PutArtifactResult>;
  /** Reads and validates a bundle; throws NotFound for an unknown id. */
  get(artifactId: string): Promise<ArtifactBundle>;
  /** Reads a file of the artifact (model.onnx, or an attachment); throws NotFound if it is missing. */
  readFile(artifactId: string, name: string): Promise<Buffer>;
  manifest(artifactId: string): Promise<ArtifactManifest>;
  has(artifactId: string): Promise<boolean>;
  /** Writes a derived file beside the artifact (e.g. the model card); not part of the content hash. */
  attach(input: { artifactId: string; name: string; content: string }): Promise<string>;
  /** Local folder of an artifact (bundle.json, manifest.json, train.log). */
  location(artifactId: string): string;
}

export const ARTIFACT_ID_PATTERN = /^art-[0-9a-f]{16}$/;
