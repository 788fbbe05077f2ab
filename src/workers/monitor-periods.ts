/**
 * The monitor's judged periods, read back from its current run's history: each completed
 * `checkMonitorPeriod` result is one period's drift and SLO line. The workflow keeps only the last
 * result in its state (a small carry across continue-as-new), and the history already holds the
 * rest, so the console charts them without the workflow keeping more.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToDate } from '@temporalio/common/lib/time';
import type { CheckPeriodResult } from '../activities/monitor';
import type { MonitorPeriod } from '../ports/console';

type Checked = CheckPeriodResult & { status: 'checked' };

export function periodOf(r: Checked, period: number, at: string): MonitorPeriod {
  const psis = r.drift.features.map((f) => f.psi);
  const slo = 'unavailable' in r.slo ? { unavailable: r.slo.unavailable } : { requests: r.slo.requests, errorRate: r.slo.errorRate, p99Ms: r.slo.p99Ms, breaches: r.slo.breaches };
  return {
    period, at, samples: r.samples, driftVerdict: r.drift.verdict, drifted: r.drift.drifted,
    maxFeaturePsi: psis.length ? Math.max(...psis) : null, predictionPsi: r.predictionDrift?.psi ?? null, slo,
  };
}

/**
 * Periods of the run `runId`; `firstPeriod` is the number of its first period (the carry's total
 * minus the periods of this run), since each period schedules exactly one check.
 */
export async function monitorPeriods(client: Client, o: { workflowId: string; runId: string; firstPeriod: number }): Promise<MonitorPeriod[]> {
  const history = await client.workflow.getHandle(o.workflowId, o.runId).fetchHistory();
  const scheduled = new Map<string, number>();
  const out: MonitorPeriod[] = [];
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === 'checkMonitorPeriod') scheduled.set(String(e.eventId), o.firstPeriod + scheduled.size);
    const c = e.activityTaskCompletedEventAttributes;
    const period = c ? scheduled.get(String(c.scheduledEventId)) : undefined;
    const payload = c?.result?.payloads?.[0];
    if (period === undefined || !payload) continue;
    const r = defaultPayloadConverter.fromPayload<CheckPeriodResult>(payload);
    if (r.status === 'checked') out.push(periodOf(r, period, e.eventTime ? tsToDate(e.eventTime).toISOString() : ''));
  }
  return out;
}
