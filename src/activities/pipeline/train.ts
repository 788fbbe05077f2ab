/**
 * trainModel: snapshot rows -> trainer (injected per kind) -> content-addressed artifact with lineage.
 * Same snapshot, params, seed and code give the same bundle bytes, hence the same artifact id.
 * Failure kinds: a crashing trainer is a plain error (the workflow's retry policy applies);
 * a trainer that writes an invalid bundle is non-retryable TrainerFailed.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSpec } from '../../domain/spec';
import type { ArtifactStore } from '../../ports/artifact-store';
import type { Trainers } from '../../ports/trainer';
import { activityHooks } from './activity-hooks';
import type { PipelineLog } from './pipeline-log';
import { requireSpec } from './failures';
import { TRAINER_PREDICTIONS_FILE } from './evaluate';
import { readSnapshot } from './snapshot-files';

export interface TrainDeps {
  dataDir: string;
  artifactStore: ArtifactStore;
  /** The trainer for each `trainer.kind`. */
  trainers: Trainers;
  log: PipelineLog;
}

export interface TrainInput {
  spec: ModelSpec;
  snapshotId: string;
  /** Version of the code that trains (e.g. a git sha); recorded in the lineage. */
  codeVersion: string;
  /** Folder of the spec file: the external trainer's command runs there. @default the data folder */
  specDir?: string;
}

export interface ArtifactRef {
  artifactId: string;
  model: string;
  sha256: string;
  snapshotId: string;
  trainer: 'builtin' | 'external';
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  codeVersion: string;
  /** True when an identical artifact already existed. */
  reused: boolean;
}

export function createTrainModel(deps: TrainDeps) {
  const { trainers } = deps;
  return async function trainModel(input: TrainInput): Promise<ArtifactRef> {
    const spec = requireSpec(input.spec);
    const { train, test } = await readSnapshot(deps.dataDir, input.snapshotId);
    const workRoot = path.join(deps.dataDir, 'work');
    await mkdir(workRoot, { recursive: true });
    const workDir = await mkdtemp(path.join(workRoot, 'train-'));
    const hooks = activityHooks();
    try {
      const result = await trainers[spec.trainer.kind].train({
        spec, train, test, workDir, specDir: input.specDir ?? deps.dataDir, heartbeat: hooks.heartbeat, signal: hooks.signal,
      }).catch((err: unknown) => {
        // Rethrow the SDK's CancelledFailure so Temporal records a cancellation, not a retryable failure.
        throw hooks.signal?.aborted ? (hooks.signal.reason as unknown) : err;
      });
      const lineage = {
        model: spec.id, snapshotId: input.snapshotId, trainer: spec.trainer.kind, algorithm: result.bundle.algorithm,
        params: spec.trainer.params, seed: spec.trainer.seed, codeVersion: input.codeVersion,
      };
      const put = await deps.artifactStore.put({ bundle: result.bundle, ...(result.modelFile ? { modelFile: result.modelFile } : {}), lineage, trainLog: result.log });
      // Not part of the content hash: the evaluation compares them with the serving runtime's answers.
      if (result.testPredictions !== undefined) await deps.artifactStore.attach({ artifactId: put.artifactId, name: TRAINER_PREDICTIONS_FILE, content: result.testPredictions });
      deps.log(put.reused ? 'artifact reused' : 'artifact stored', { artifactId: put.artifactId, snapshotId: input.snapshotId, trainer: spec.trainer.kind });
      return { ...put, ...lineage, trainer: spec.trainer.kind };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
}
