/** Monitoring activities: one period's check, the drift alert and retrain, the KPI verdict, and starting/re-pointing the monitor. */
import type { ArtifactStore } from '../../ports/artifact-store';
import type { Mailer } from '../../ports/mailer';
import type { MetricsSource } from '../../ports/metrics-source';
import type { MonitorGateway } from '../../ports/monitor-gateway';
import type { MonitorStarter } from '../../ports/monitor-starter';
import type { Registry } from '../../ports/registry';
import type { ReleaseStarter } from '../../ports/release-starter';
import type { RollbackStarter } from '../../ports/rollback-starter';
import { createCheckMonitorPeriod } from './check-period';
import { createTriggerDriftRetrain } from './drift-retrain';
import { createEnsureMonitor } from './ensure-monitor';
import { createReadKpiVerdict } from './kpi';
import { createActOnSloBreach } from './slo-guard';

export interface MonitorDeps {
  /** Snapshots (reference statistics) are read from here; drift evidence is written under `<dataDir>/monitor`. */
  dataDir: string;
  mailer: Mailer;
  gateway: MonitorGateway;
  /** Starts drift retrains. */
  releases: ReleaseStarter;
  /** Starts or re-points `monitor-<model>`. */
  monitors: MonitorStarter;
  /** Starts the SLO guard's rollbacks. */
  rollbacks: RollbackStarter;
}

export interface MonitorActivitiesOptions extends MonitorDeps {
  registry: Registry;
  /** Champions' test-set score references (prediction drift). */
  artifactStore: ArtifactStore;
  metricsSource: MetricsSource;
}

export function createMonitorActivities(o: MonitorActivitiesOptions) {
  return {
    checkMonitorPeriod: createCheckMonitorPeriod(o),
    triggerDriftRetrain: createTriggerDriftRetrain(o),
    ensureMonitor: createEnsureMonitor(o),
    readKpiVerdict: createReadKpiVerdict(o),
    actOnSloBreach: createActOnSloBreach(o),
  };
}

export type { CheckPeriodInput, CheckPeriodResult } from './check-period';
export type { DriftRetrainInput, DriftRetrainResult } from './drift-retrain';
export type { EnsureMonitorInput } from './ensure-monitor';
export type { SloBreachInput, SloBreachResult } from './slo-guard';
export { labelledRowsPath } from './export-labels';
