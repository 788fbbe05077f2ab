/** Monitoring activities: one period's check, the drift alert and retrain, the KPI verdict, and starting/re-pointing the monitor. */
import type { Mailer } from '../../ports/mailer';
import type { MetricsSource } from '../../ports/metrics-source';
import type { Registry } from '../../ports/registry';
import { createCheckMonitorPeriod } from './check-period';
import { createTriggerDriftRetrain } from './drift-retrain';
import { ensureMonitor } from './ensure-monitor';
import { createReadKpiVerdict } from './kpi';
import type { MonitorGateway } from './monitor-gateway';

export interface MonitorDeps {
  /** Snapshots (reference statistics) are read from here; drift evidence is written under `<dataDir>/monitor`. */
  dataDir: string;
  mailer: Mailer;
  gateway: MonitorGateway;
}

export interface MonitorActivitiesOptions extends MonitorDeps {
  registry: Registry;
  metricsSource: MetricsSource;
}

export function createMonitorActivities(o: MonitorActivitiesOptions) {
  return {
    checkMonitorPeriod: createCheckMonitorPeriod(o),
    triggerDriftRetrain: createTriggerDriftRetrain(o),
    ensureMonitor,
    readKpiVerdict: createReadKpiVerdict(o),
  };
}

export { createMonitorGateway, type MonitorGateway, type MonitorGatewayOptions } from './monitor-gateway';
export type { CheckPeriodInput, CheckPeriodResult } from './check-period';
export type { DriftRetrainInput, DriftRetrainResult } from './drift-retrain';
export type { EnsureMonitorInput } from './ensure-monitor';
export { labelledRowsPath } from './export-labels';
