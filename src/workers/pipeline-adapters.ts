/**
 * The pipeline's adapters, chosen here in the composition root and nowhere else: the stores
 * (artifacts in `<dataDir>/artifacts`; the registry in `<dataDir>/registry.sqlite`, or PostgreSQL
 * when a database URL is given) and the trainers (built-in, and external commands per
 * docs/external-trainer.md).
 */
import path from 'node:path';
import { createFsArtifactStore } from '../adapters/artifact-store/fs';
import { createSqliteRegistry } from '../adapters/registry/sqlite';
import { createPostgresRegistry } from '../adapters/registry/postgres';
import { createBuiltinTrainer } from '../adapters/trainer/builtin';
import { createExternalTrainer, type ExternalTrainerOptions } from '../adapters/trainer/external';
import type { ArtifactStore } from '../ports/artifact-store';
import type { Registry } from '../ports/registry';
import type { Trainers } from '../ports/trainer';

export interface PipelineStoresOptions {
  dataDir: string;
  /** postgres://… (MLGATE_DATABASE_URL): the registry lives there. @default SQLite in dataDir */
  databaseUrl?: string;
  /** @default () => new Date() */
  now?: () => Date;
}

export function openPipelineStores(options: PipelineStoresOptions): { artifactStore: ArtifactStore; registry: Registry } {
  return {
    artifactStore: createFsArtifactStore({ root: path.join(options.dataDir, 'artifacts') }),
    registry: options.databaseUrl
      ? createPostgresRegistry({ url: options.databaseUrl, ...(options.now ? { now: options.now } : {}) })
      : createSqliteRegistry({ file: path.join(options.dataDir, 'registry.sqlite'), now: options.now }),
  };
}

export function createTrainers(external: ExternalTrainerOptions = {}): Trainers {
  return { builtin: createBuiltinTrainer(), external: createExternalTrainer(external) };
}
