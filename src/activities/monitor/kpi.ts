/**
 * `readKpiVerdict`: the online KPI verdict of one version from the labels received so far. For a
 * KPI bake before promotion, a workflow calls it on a timer (days are fine: nothing sleeps in a process).
 */
import { kpiVerdict, type KpiVerdict } from '../../domain/monitor/kpi-verdict';
import { monitorSettings } from '../../domain/monitor/monitor-spec';
import type { ModelSpec } from '../../domain/spec';
import type { MonitorGateway } from '../../ports/monitor-gateway';

export function createReadKpiVerdict(deps: { gateway: MonitorGateway }) {
  return async function readKpiVerdict(input: { spec: ModelSpec; version: string }): Promise<KpiVerdict> {
    const tally = (await deps.gateway.tallies(input.spec.id)).find((t) => t.version === input.version) ?? { version: input.version, labelled: 0, correct: 0, kpiCount: 0, kpiSum: 0 };
    return kpiVerdict(tally, monitorSettings(input.spec.monitor));
  };
}
