/**
 * All activities of an mlgate worker, built from injected dependencies (the composition root in
 * src/workers decides which adapters). Workflows import only the `Activities` type.
 */
import { createApprovalActivities, type ApprovalActivitiesOptions } from './approval';
import { createDeployActivities, type DeployActivitiesOptions } from './deploy';
import { createMonitorActivities, type MonitorDeps } from './monitor';
import { createPipelineActivities, type PipelineDeps } from './pipeline';
import { createRolloutActivities, type RolloutActivitiesOptions } from './rollout';
import { createWatchExperiment } from './rollout/watch-experiment';
import { createSmokeActivities } from './smoke';

export interface ActivityDeps {
  pipeline: PipelineDeps;
  rollout: RolloutActivitiesOptions;
  approval: ApprovalActivitiesOptions;
  monitor: MonitorDeps;
}

export function createActivities(deps: ActivityDeps) {
  const deploy: DeployActivitiesOptions = { registry: deps.pipeline.registry, deploymentTarget: deps.rollout.deploymentTarget };
  return {
    ...createSmokeActivities(),
    ...createPipelineActivities(deps.pipeline),
    ...createRolloutActivities(deps.rollout),
    // The A/B experiment reads feedback tallies, which the monitor's gateway port already serves.
    watchExperiment: createWatchExperiment({ gateway: deps.monitor.gateway, ...(deps.rollout.now ? { now: deps.rollout.now } : {}) }),
    ...createDeployActivities(deploy),
    ...createApprovalActivities(deps.approval),
    ...createMonitorActivities({ ...deps.monitor, registry: deps.pipeline.registry, artifactStore: deps.pipeline.artifactStore, metricsSource: deps.rollout.metricsSource }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
