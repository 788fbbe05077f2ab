/**
 * `ensureMonitor`: start or re-point `monitor-<model>`, called by the release after a promotion
 * and after a rollback of a promoted model, through the injected `MonitorStarter`.
 */
import type { MonitorStarter, MonitorTargetInput } from '../../ports/monitor-starter';

export type EnsureMonitorInput = MonitorTargetInput;

export function createEnsureMonitor({ monitors }: { monitors: MonitorStarter }) {
  return function ensureMonitor(input: EnsureMonitorInput): Promise<{ monitorId: string; runId: string }> {
    return monitors.ensure(input);
  };
}
