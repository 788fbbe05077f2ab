/**
 * Trainer port: turns a snapshot's rows into a ModelBundle. Adapters: `builtin` (pure TypeScript
 * gradient descent) and `external` (any command that follows docs/external-trainer.md).
 * Heartbeat and cancellation arrive as plain callbacks so adapters run outside Temporal too.
 */
import type { ArtifactBundle } from '../domain/model/artifact-bundle';
import type { Row } from '../domain/model/bundle';
import type { ModelSpec } from '../domain/spec';

export interface TrainRequest {
  spec: ModelSpec;
  train: Row[];
  test: Row[];
  /** Scratch folder for this run (the external trainer's input and output live here). */
  workDir: string;
  /** Folder the spec lives in; the external command runs there. */
  specDir: string;
  /** Called periodically while training runs. */
  heartbeat: (details?: unknown) => void;
  /** Aborts training (the activity's cancellation signal). */
  signal?: AbortSignal;
}

export interface TrainResult {
  bundle: ArtifactBundle;
  /** The model.onnx an onnx/v1 bundle names. */
  modelFile?: Uint8Array;
  /** The trainer's own predictions on the test rows, as JSON lines (onnx/v1: the parity check's reference). */
  testPredictions?: string;
  /** Everything the trainer logged; stored as the artifact's train.log. */
  log: string;
}

export interface TrainerPort {
  train(request: TrainRequest): Promise<TrainResult>;
}

/** One trainer per `trainer.kind` of the spec; the composition root decides the adapters. */
export type Trainers = Record<'builtin' | 'external', TrainerPort>;
