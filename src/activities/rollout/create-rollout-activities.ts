/**
 * Rollout activities: apply routing, restore it on rollback, and watch a step. Dependencies come in
 * through the ports, so the same activities drive the built-in gateway or any other target.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType, formatIssues } from '../../domain/errors';
import { RoutingInputSchema, type Routing, type RoutingInput } from '../../domain/routing';
import { DeploymentRejectedError, RoutingConflictError, type DeploymentTarget } from '../../ports/deployment-target';
import type { MetricsSource } from '../../ports/metrics-source';
import { watchRolloutWith, type WatchRolloutInput, type WatchRolloutResult } from './watch-rollout';

export interface RolloutActivitiesOptions {
  deploymentTarget: DeploymentTarget;
  metricsSource: MetricsSource;
  /** Clock for elapsed time. @default Date.now */
  now?: () => number;
}

export interface SetRoutingInput {
  model: string;
  routing: RoutingInput;
  /** Compare-and-set guard; omit for "make it so". */
  expectedGeneration?: number;
}

async function applyRouting(target: DeploymentTarget, input: SetRoutingInput): Promise<Routing> {
  const parsed = RoutingInputSchema.safeParse(input.routing);
  if (!parsed.success) {
    throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `routing: ${formatIssues(parsed.error.issues).join('; ')}` });
  }
  try {
    // Idempotent at the target: re-applying the same routing is a no-op, so activity retries are safe.
    return await target.setRouting(input.model, parsed.data, { expectedGeneration: input.expectedGeneration });
  } catch (e) {
    if (e instanceof RoutingConflictError) {
      throw ApplicationFailure.create({ type: ErrorType.DeploymentFailed, nonRetryable: true, message: e.message, details: [e.current] });
    }
    if (e instanceof DeploymentRejectedError) {
      throw ApplicationFailure.create({ type: ErrorType.DeploymentFailed, nonRetryable: true, message: e.message });
    }
    throw e; // transient (network, 5xx): let Temporal retry
  }
}

export function createRolloutActivities(options: RolloutActivitiesOptions) {
  const now = options.now ?? Date.now;
  return {
    async setRouting(input: SetRoutingInput): Promise<Routing> {
      return applyRouting(options.deploymentTarget, input);
    },
    async getRouting(input: { model: string }): Promise<Routing | null> {
      return options.deploymentTarget.getRouting(input.model);
    },
    async watchRollout(input: WatchRolloutInput): Promise<WatchRolloutResult> {
      return watchRolloutWith({ metricsSource: options.metricsSource, now }, input);
    },
  };
}

export type RolloutActivities = ReturnType<typeof createRolloutActivities>;
