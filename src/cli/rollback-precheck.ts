/**
 * `mlgate rollback` without `--to` checks the registry before starting anything: a model with no
 * previous version gets one line saying so (exit 2), and no workflow is started that could only fail.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openPipelineStores } from '../workers/pipeline-adapters';
import { CliError } from './cli-error';

export async function assertPreviousVersion(dataDir: string, model: string, databaseUrl?: string): Promise<void> {
  // Opening the SQLite registry would create an empty one; a missing file already answers the question.
  if (!databaseUrl && !existsSync(path.join(dataDir, 'registry.sqlite'))) throw new CliError(`${model} has never been released (no registry in ${dataDir}); nothing to roll back to`, 2);
  const { registry } = openPipelineStores({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    const aliases = await registry.getAliases(model);
    if (aliases.previous) return;
    const serving = aliases.champion ? `it serves ${aliases.champion}` : 'it has no champion either';
    throw new CliError(`${model} has no previous version to roll back to; ${serving}. Name one with --to <artifact>.`, 2);
  } finally {
    registry.close();
  }
}
