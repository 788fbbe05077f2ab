/**
 * Orchestration overhead per step, read from a workflow history: the time between the event that
 * woke the workflow (an activity or child completing, a timer firing, the start) and the moment the
 * next activity actually began its own work. The activity's own run time is excluded. Split into
 * where it goes:
 *   - wftQueue:   workflow task scheduled → picked up by the worker
 *   - wftRun:     workflow task started → completed (the worker running workflow code)
 *   - actQueue:   activity scheduled → picked up by the worker
 * Also each workflow task's queueing and run time, and how much history a workflow wrote (events,
 * workflow tasks, ordinary and local activities), which bench/overhead reports as where the time goes.
 * Pure: it takes the history's events as the client returns them.
 */
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

export interface StepOverhead {
  activity: string;
  totalMs: number;
  wftQueueMs: number;
  wftRunMs: number;
  actQueueMs: number;
}

const ms = (e: Event | undefined) => (e ? Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6) : NaN);

/** One entry per activity that ran in this history (the last attempt, as history records it). */
export function stepOverheads(events: Event[]): StepOverhead[] {
  const byId = new Map<string, Event>(events.map((e) => [String(e.eventId), e]));
  const startedOf = new Map<string, Event>();
  for (const e of events) {
    const a = e.activityTaskStartedEventAttributes;
    if (a) startedOf.set(String(a.scheduledEventId), e);
  }
  const out: StepOverhead[] = [];
  for (const e of events) {
    const sched = e.activityTaskScheduledEventAttributes;
    if (!sched) continue;
    const started = startedOf.get(String(e.eventId));
    const wftCompleted = byId.get(String(sched.workflowTaskCompletedEventId));
    const wftStarted = byId.get(String(wftCompleted?.workflowTaskCompletedEventAttributes?.startedEventId));
    const wftScheduled = byId.get(String(wftStarted?.workflowTaskStartedEventAttributes?.scheduledEventId));
    // What woke the workflow: the last event before the workflow task was scheduled.
    const trigger = wftScheduled ? byId.get(String(Number(wftScheduled.eventId) - 1)) : undefined;
    if (!started || !wftScheduled || !trigger) continue;
    out.push({
      activity: sched.activityType?.name ?? 'unknown',
      totalMs: ms(started) - ms(trigger),
      wftQueueMs: ms(wftStarted) - ms(wftScheduled),
      wftRunMs: ms(wftCompleted) - ms(wftStarted),
      actQueueMs: ms(started) - ms(e),
    });
  }
  return out;
}

/** Every workflow task's queueing (scheduled -> started) and run (started -> completed), ms. */
export function workflowTasks(events: Event[]): Array<{ queueMs: number; runMs: number }> {
  const byId = new Map<string, Event>(events.map((e) => [String(e.eventId), e]));
  return events.flatMap((e) => {
    const c = e.workflowTaskCompletedEventAttributes;
    const started = c ? byId.get(String(c.startedEventId)) : undefined;
    const scheduled = byId.get(String(started?.workflowTaskStartedEventAttributes?.scheduledEventId));
    return started && scheduled ? [{ queueMs: ms(started) - ms(scheduled), runMs: ms(e) - ms(started) }] : [];
  });
}

/** How much history one workflow wrote: events, workflow tasks, ordinary and local activities. */
export function historyShape(events: Event[]) {
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  };
}

/** Epoch ms of the workflow's start and completion events. */
export function startAndEnd(events: Event[]): { startedMs: number; completedMs: number } {
  return { startedMs: ms(events[0]), completedMs: ms(events[events.length - 1]) };
}

/** Ids of the child workflows started from this history (the rollout child has its own history). */
export function childWorkflowIds(events: Event[]): string[] {
  return events.flatMap((e) => {
    const id = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
}
