/**
 * The pipeline's adapters, chosen here in the composition root and nowhere else: the embedded
 * stores (artifacts in `<dataDir>/artifacts`, the registry in `<dataDir>/registry.sqlite`) and the
 * trainers (built-in, and external commands per docs/external-trainer.md).
 */
import path from 'node:path';
import { createFsArtifactStore } from '../adapters/artifact-store/fs';
import { createSqliteRegistry } from '../adapters/registry/sqlite';
import { createBuiltinTrainer } from '../adapters/trainer/builtin';
import { createExternalTrainer, type ExternalTrainerOptions } from '../adapters/trainer/external';
import type { ArtifactStore } from '../ports/artifact-store';
import type { Registry } from '../ports/registry';
import type { Trainers } from '../ports/trainer';

export interface PipelineStoresOptions {
  dataDir: string;
  /** @default () => new Date() */
  now?: () => Date;
}

export function openPipelineStores(options: PipelineStoresOptions): { artifactStore: ArtifactStore; registry: Registry } {
  return {
    artifactStore: createFsArtifactStore({ root: path.join(options.dataDir, 'artifacts') }),
    registry: createSqliteRegistry({ file: path.join(options.dataDir, 'registry.sqlite'), now: options.now }),
  };
}

export function createTrainers(external: ExternalTrainerOptions = {}): Trainers {
  return { builtin: createBuiltinTrainer(), external: createExternalTrainer(external) };
}
