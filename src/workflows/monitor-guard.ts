/**
 * The production guard inside `monitor-<model>`: each checked period judges the champion's SLOs
 * (pure `guardStep`), and when a breach held long enough it acts once, through `actOnSloBreach`.
 * State lives in the carry (`guard`, `guardEvents`), with defaults for carries from before the guard.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CheckPeriodResult, SloLine } from '../activities/monitor/check-period';
import { durationMs } from '../domain/duration';
import { monitorSettings } from '../domain/monitor/monitor-spec';
import { guardStep, initialGuard, sloVerdict } from '../domain/monitor/slo-guard';
import { failureMessage } from './failure-message';
import type { GuardEvent, MonitorCarry, MonitorTarget } from './monitor-messages';

const act = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3, initialInterval: '1s', maximumInterval: '10s' } });

/** One period of the guard; returns an error line when acting failed (the next breached period retries). */
export async function guardPeriod(target: MonitorTarget, carry: MonitorCarry, checked: CheckPeriodResult & { status: 'checked' }): Promise<string | null> {
  const settings = monitorSettings(target.spec.monitor);
  const prev = carry.guard ?? initialGuard();
  const verdict = sloVerdict(checked.slo, target.spec.slo.minSamples);
  const { state, action } = guardStep(prev, checked.champion, verdict, { ...settings, guardWindowMs: durationMs(settings.guardWindow) }, Date.now());
  // Evidence: this champion's breached periods, newest last (only lines, never the whole check).
  const lines = prev.champion === checked.champion ? carry.guardEvidence ?? [] : [];
  const slo = 'unavailable' in checked.slo ? null : checked.slo;
  carry.guardEvidence = verdict === 'breach' && slo ? [...lines, slo].slice(-settings.sloBreachesToAct) : verdict === 'ok' ? [] : lines;
  if (action.kind === 'none') {
    carry.guard = state;
    return null;
  }
  try {
    const r = await act.actOnSloBreach({ spec: target.spec, monitorId: workflowInfo().workflowId, period: carry.totalPeriods, champion: checked.champion, action, evidence: carry.guardEvidence });
    // Latch only once it went out: a failed attempt acts again on the next breached period.
    carry.guard = r.rollbackId && r.to ? { ...state, restored: { artifact: r.to, from: checked.champion, atMs: Date.now() } } : state;
    const event: GuardEvent = {
      period: carry.totalPeriods, at: new Date().toISOString(), champion: checked.champion, action: r.action, note: r.note, rollbackId: r.rollbackId, to: r.to,
      breaches: carry.guardEvidence.at(-1)?.breaches ?? [],
    };
    carry.guardEvents = [...(carry.guardEvents ?? []), event].slice(-20);
    if (r.rollbackId && r.to) {
      carry.reasonNamesChampion = r.to;
      target.reason = `SLO guard rolled ${checked.champion} back to ${r.to} (${r.rollbackId})`;
    }
    return null;
  } catch (err) {
    carry.guard = { ...state, acted: false };
    return `SLO guard failed: ${failureMessage(err)}`;
  }
}

export type { SloLine };
