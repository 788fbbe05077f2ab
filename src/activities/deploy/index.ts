/**
 * Deploy-phase activities that must move the gateway routing and the registry aliases together:
 * promotion and rollback. Both are idempotent, so a retried or replayed call changes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../../domain/errors';
import type { Routing, RoutingInput } from '../../domain/routing';
import type { DeploymentTarget } from '../../ports/deployment-target';
import type { AliasMap, Registry } from '../../ports/registry';

export interface DeployActivitiesOptions {
  registry: Registry;
  deploymentTarget: DeploymentTarget;
}

export interface PromoteInput {
  model: string;
  releaseId: string;
  artifactId: string;
  /** The champion the release was evaluated against; promotion is refused if it changed since. */
  expectedChampion: string | null;
  actor: string;
}

export interface RollbackInput {
  model: string;
  releaseId: string;
  /** The artifact being rolled back (the candidate, or the just-promoted champion). */
  artifactId: string;
  /** The routing to restore: what served before the release touched anything. */
  routing: RoutingInput;
  actor: string;
  /** Why: the verdict's reason, the gate's rejection, or "cancelled". Recorded in alias history. */
  reason: string;
}

export interface ManualRollbackInput {
  model: string;
  /** @default the `previous` alias */
  toArtifact?: string;
  requester: string;
  reason: string;
  rollbackId: string;
}

export interface ManualRollbackResult {
  from: string | null;
  to: string;
  aliases: AliasMap;
  routing: Routing;
}

export function createDeployActivities({ registry, deploymentTarget }: DeployActivitiesOptions) {
  return {
    /** `mlgate rollback`: serve an older artifact again and make it champion. Idempotent. */
    async rollbackModel(input: ManualRollbackInput): Promise<ManualRollbackResult> {
      const before = await registry.getAliases(input.model);
      const to = input.toArtifact ?? before.previous;
      if (!to) throw ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message: `${input.model} has no previous artifact to roll back to; name one with --to <artifact>` });
      // Registry first: rollbackTo refuses an artifact that was never registered for this model.
      const aliases = await registry.rollbackTo({ model: input.model, artifactId: to, actor: input.requester, reason: input.reason, releaseId: input.rollbackId });
      const routing = await deploymentTarget.setRouting(input.model, { stable: { version: to }, updatedBy: `${input.rollbackId} by ${input.requester}` });
      return { from: before.champion === to ? aliases.previous : before.champion, to, aliases, routing };
    },
    /** Aliases first (compare-and-set is the arbiter between racing releases), then routing. */
    async promoteRelease(input: PromoteInput): Promise<{ aliases: AliasMap; routing: Routing }> {
      const current = await registry.getAliases(input.model);
      const alreadyDone = current.champion === input.artifactId;
      if (!alreadyDone && current.champion !== input.expectedChampion) {
        throw ApplicationFailure.create({
          type: ErrorType.AliasConflict,
          nonRetryable: true,
          message: `champion of ${input.model} changed to ${current.champion ?? 'none'} since this release was evaluated against ${input.expectedChampion ?? 'none'}; start a new release`,
        });
      }
      const aliases = await registry.promote({ model: input.model, releaseId: input.releaseId, artifactId: input.artifactId, actor: input.actor, reason: `promoted by ${input.releaseId}` });
      const routing = await deploymentTarget.setRouting(input.model, { stable: { version: input.artifactId }, updatedBy: input.releaseId });
      return { aliases, routing };
    },
    /** Routing first (stop serving the bad version at once), then aliases. */
    async rollbackRelease(input: RollbackInput): Promise<{ aliases: AliasMap; routing: Routing }> {
      const routing = await deploymentTarget.setRouting(input.model, { ...input.routing, updatedBy: `${input.releaseId} rollback` });
      const aliases = await registry.restorePrevious({ model: input.model, releaseId: input.releaseId, artifactId: input.artifactId, actor: input.actor, reason: input.reason });
      return { aliases, routing };
    },
  };
}
export type DeployActivities = ReturnType<typeof createDeployActivities>;
