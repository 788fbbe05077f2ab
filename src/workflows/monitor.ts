/**
 * `monitor-<model>`: watches the production model, one check per period, forever. Drift breaches are
 * debounced (pure `debounceStep`); an alert mails the owner and starts one retrain release. The
 * history stays bounded: after `periodsPerRun` periods the workflow continues as new, carrying the
 * cursor, the debounce state and the last alerts. Releases signal-with-start it after a promotion
 * or rollback; a champion change seen in the registry re-arms it too.
 */
import { condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CheckPeriodResult } from '../activities/monitor';
import { durationMs } from '../domain/duration';
import { debounceStep, initialDebounce, rearmForNewChampion } from '../domain/monitor/debounce';
import { championChangedReason } from '../domain/monitor/champion-reason';
import { monitorSettings } from '../domain/monitor/monitor-spec';
import { failureMessage } from './failure-message';
import { guardPeriod } from './monitor-guard';
import { monitorRepointSignal, monitorStatusQuery, type MonitorCarry, type MonitorInput, type MonitorTarget } from './monitor-messages';

export * from './monitor-messages';

// Bounded retries: a check that keeps failing is skipped, and the next period is the retry.
const act = proxyActivities<Activities>({ startToCloseTimeout: '2m', retry: { maximumAttempts: 3, initialInterval: '1s', maximumInterval: '10s' } });

const newCarry = (): MonitorCarry => ({ afterSeq: 0, debounce: initialDebounce(), champion: null, totalPeriods: 0, runs: 0, alerts: [] });

/** Mutable state of one run; `carry` is what continue-as-new passes on. */
interface RunState {
  target: MonitorTarget;
  carry: MonitorCarry;
  last: CheckPeriodResult | null;
  lastError: string | null;
}

export async function monitorWorkflow(input: MonitorInput): Promise<void> {
  const run: RunState = {
    target: { spec: input.spec, specDir: input.specDir, codeVersion: input.codeVersion, reason: input.reason },
    carry: { ...(input.carry ?? newCarry()), runs: (input.carry?.runs ?? 0) + 1 },
    last: null,
    lastError: null,
  };
  let periodsThisRun = 0;
  let repointed = false;
  setHandler(monitorRepointSignal, (t) => {
    run.target = t;
    repointed = true;
    // Rearm here too: a re-point that arrives as this run continues-as-new would lose the flag, and the
    // next run would keep the old latch (seen as a missing second alert in monitor-drift.test.ts).
    if (patched('monitor-repoint-rearms-at-signal')) Object.assign(run.carry, { debounce: rearmForNewChampion(), predictionBaseline: undefined });
  });
  const settings = () => monitorSettings(run.target.spec.monitor);
  setHandler(monitorStatusQuery, () => ({
    model: input.model, target: { reason: run.target.reason, period: settings().period }, carry: run.carry, periodsThisRun, last: run.last,
    lastError: run.lastError,
  }));
  while (periodsThisRun < settings().periodsPerRun) {
    // Waking early on a re-point lets the new champion be judged from its first period.
    await condition(() => repointed, durationMs(settings().period));
    const justRepointed = repointed;
    if (repointed) {
      repointed = false;
      Object.assign(run.carry, { debounce: rearmForNewChampion(), predictionBaseline: undefined });
    }
    periodsThisRun++;
    run.carry.totalPeriods++;
    await runPeriod(run, justRepointed);
  }
  await continueAsNew<typeof monitorWorkflow>({ model: input.model, ...run.target, carry: run.carry });
}

/** One period: check, debounce, and alert when the debounce fires. Failures are recorded, never fatal. */
async function runPeriod(run: RunState, justRepointed: boolean): Promise<void> {
  const { carry, target } = run;
  let checked: CheckPeriodResult;
  try {
    checked = await act.checkMonitorPeriod({ spec: target.spec, afterSeq: carry.afterSeq, ...(carry.predictionBaseline ? { predictionBaseline: carry.predictionBaseline } : {}) });
  } catch (err) {
    // A monitor outlives outages: an unreachable gateway is no evidence; the next period tries again.
    run.lastError = `check failed: ${failureMessage(err)}`;
    return;
  }
  Object.assign(run, { last: checked, lastError: null });
  carry.afterSeq = checked.afterSeq;
  if (checked.status !== 'checked') return;
  if (checked.champion !== carry.champion) {
    // A champion change nobody re-pointed us for (`mlgate rollback`) must not leave the old reason.
    const expected = checked.champion === carry.reasonNamesChampion;
    if (carry.champion !== null && !justRepointed && !expected && patched('monitor-reason-follows-champion')) target.reason = championChangedReason(checked.champion);
    carry.reasonNamesChampion = undefined;
    Object.assign(carry, { champion: checked.champion, debounce: rearmForNewChampion(), predictionBaseline: undefined });
  }
  if (checked.predictionBaseline) carry.predictionBaseline = checked.predictionBaseline;
  if (patched('monitor-slo-guard')) run.lastError = await guardPeriod(target, carry, checked);
  const settings = monitorSettings(target.spec.monitor);
  const step = debounceStep(carry.debounce, checked.drift.verdict, settings);
  if (!step.fire) {
    carry.debounce = step.state;
    return;
  }
  try {
    await alert(target, carry, checked, settings.retrainOnDrift);
    // Latch only once the alert went out: a failed alert fires again on the next drifted period.
    carry.debounce = step.state;
  } catch (err) {
    run.lastError = `alert failed: ${failureMessage(err)}`;
  }
}

async function alert(target: MonitorTarget, carry: MonitorCarry, evidence: CheckPeriodResult & { status: 'checked' }, retrain: boolean): Promise<void> {
  const r = await act.triggerDriftRetrain({
    spec: target.spec, specDir: target.specDir, codeVersion: target.codeVersion, monitorId: workflowInfo().workflowId, period: carry.totalPeriods,
    evidence, retrain,
  });
  carry.alerts = [...carry.alerts, {
    period: carry.totalPeriods, at: new Date().toISOString(), drifted: evidence.drift.drifted, evidencePath: r.evidencePath,
    labelledRows: r.labelled.rows, releaseId: r.releaseId, started: r.started,
  }].slice(-20);
}
