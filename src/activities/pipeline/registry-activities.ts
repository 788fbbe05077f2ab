/**
 * Registry activities: thin wrappers over the Registry port, so the workflow records versions,
 * moves aliases and holds the per-model release lock. All are idempotent under retries.
 */
import type { AliasMap, LockResult, ModelVersion, Registry, VersionInput } from '../../ports/registry';
import { AliasActivityInputSchema, LockInputSchema, ModelInputSchema, parseInput, VersionInputSchema } from './registry-inputs';

/** Actor recorded in the alias history when the workflow moves aliases by itself. */
export const SYSTEM_ACTOR = 'mlgate';

export interface AliasActivityInput {
  model: string;
  releaseId: string;
  artifactId: string;
  /** Who asked (an approver, or the system). @default "mlgate" */
  actor?: string;
  reason?: string;
}

export function createRegistryActivities(registry: Registry) {
  return {
    async registerVersion(input: VersionInput): Promise<ModelVersion> {
      return registry.registerVersion(parseInput(VersionInputSchema, input, 'registerVersion'));
    },
    async getAliases(input: { model: string }): Promise<AliasMap> {
      return registry.getAliases(parseInput(ModelInputSchema, input, 'getAliases').model);
    },
    async acquireReleaseLock(input: { model: string; releaseId: string }): Promise<LockResult> {
      return registry.acquireReleaseLock(parseInput(LockInputSchema, input, 'acquireReleaseLock'));
    },
    async releaseReleaseLock(input: { model: string; releaseId: string }): Promise<boolean> {
      return registry.releaseReleaseLock(parseInput(LockInputSchema, input, 'releaseReleaseLock'));
    },
    /** Points `candidate` at the artifact with a compare-and-set from the value read just before. */
    async setCandidateAlias(raw: AliasActivityInput): Promise<AliasMap> {
      const input = parseInput(AliasActivityInputSchema, raw, 'setCandidateAlias');
      const current = await registry.getAliases(input.model);
      if (current.candidate === input.artifactId) return current;
      return registry.moveAlias({
        model: input.model, alias: 'candidate', expected: current.candidate, next: input.artifactId,
        actor: input.actor ?? SYSTEM_ACTOR, reason: input.reason ?? 'release candidate', releaseId: input.releaseId,
      });
    },
  };
}
