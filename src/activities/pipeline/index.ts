/**
 * The release pipeline's activities (snapshot, train, evaluate, registry), created from their
 * dependencies. The worker registers the returned object; workflows import its type only.
 */
import type { ArtifactStore } from '../../ports/artifact-store';
import type { Registry } from '../../ports/registry';
import type { ModelRuntimeFactory } from '../../ports/model-runtime';
import type { Trainers } from '../../ports/trainer';
import { withHeartbeat } from './activity-hooks';
import { createEvaluateCandidate } from './evaluate';
import type { PipelineLog } from './pipeline-log';
import { createRegistryActivities } from './registry-activities';
import { createSnapshotDataset } from './snapshot';
import { createTrainModel } from './train';

export interface PipelineDeps {
  /** Root of snapshots (`<dataDir>/snapshots`) and scratch space (`<dataDir>/work`). */
  dataDir: string;
  /** Salt of the HMAC that hashes PII columns; from the worker's config, never from workflow input. */
  piiSalt: string;
  artifactStore: ArtifactStore;
  registry: Registry;
  /** @default () => new Date() */
  now?: () => Date;
  /** The trainer for each `trainer.kind` (chosen in src/workers). */
  trainers: Trainers;
  /** The serving runtime for an artifact (the gateway's): the evaluation scores through it. */
  createRuntime: ModelRuntimeFactory;
  /** Structured log of what the activities did (e.g. a pino logger's info bound here). @default no logging */
  log?: PipelineLog;
}

export function createPipelineActivities(deps: PipelineDeps) {
  const now = deps.now ?? (() => new Date());
  const log: PipelineLog = deps.log ?? (() => undefined);
  return {
    snapshotDataset: withHeartbeat(createSnapshotDataset({ dataDir: deps.dataDir, piiSalt: deps.piiSalt, now, log })),
    trainModel: createTrainModel({ dataDir: deps.dataDir, artifactStore: deps.artifactStore, trainers: deps.trainers, log }),
    evaluateCandidate: withHeartbeat(createEvaluateCandidate({ dataDir: deps.dataDir, artifactStore: deps.artifactStore, createRuntime: deps.createRuntime })),
    ...createRegistryActivities(deps.registry),
  };
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;

export type { PipelineLog } from './pipeline-log';
export type { SnapshotRef, SnapshotManifest } from './snapshot-files';
export type { ArtifactRef, TrainInput } from './train';
export type { EvaluateInput } from './evaluate';
export type { SnapshotInput } from './snapshot';
export type { AliasActivityInput } from './registry-activities';
