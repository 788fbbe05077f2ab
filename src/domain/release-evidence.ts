/**
 * Turns stage results into the evidence approvers see (offline numbers vs champion, canary curves).
 * Pure: the workflow calls it, so the status query and emails show the same numbers history holds.
 */
import type { CanaryStep, OfflineEvidence, SliceEvidence } from './approval/views';
import type { Evaluation, SliceReport } from './metrics/evaluation';

function sliceEvidence(slices: SliceReport[], primary: string, champion?: SliceReport[]): SliceEvidence[] {
  return slices.flatMap((s) =>
    s.values.map((v) => {
      const champ = champion?.find((c) => c.column === s.column)?.values.find((c) => c.value === v.value);
      return {
        slice: `${s.column}=${v.value}`,
        count: v.rows,
        metrics: v.primary === null ? {} : { [primary]: v.primary },
        ...(champ && champ.primary !== null ? { champion: { [primary]: champ.primary } } : {}),
      };
    }),
  );
}

export function offlineEvidence(ev: Evaluation): OfflineEvidence {
  return {
    metrics: ev.metrics,
    ...(ev.champion ? { champion: ev.champion.metrics } : {}),
    delta: ev.delta ?? {},
    slices: sliceEvidence(ev.slices, ev.primaryMetric, ev.champion?.slices),
    primaryMetric: ev.primaryMetric,
  };
}

/** A chart point from the watch activity; nulls (no traffic on a side yet) become gaps at 0. */
export interface WatchSample {
  t: number;
  candidateP99: number | null;
  baselineP99: number | null;
  candidateErrorRate: number | null;
  baselineErrorRate: number | null;
}

export function canaryStep(percent: number, verdict: CanaryStep['verdict'], samples: WatchSample[], offsetSeconds: number): CanaryStep {
  return {
    percent,
    verdict,
    samples: samples.map((s) => ({
      t: Math.round((offsetSeconds + s.t / 1000) * 10) / 10,
      candidateP99: s.candidateP99 ?? 0,
      baselineP99: s.baselineP99 ?? 0,
      candidateErrorRate: s.candidateErrorRate ?? 0,
      baselineErrorRate: s.baselineErrorRate ?? 0,
    })),
  };
}

/*
 * The reason a rollout reports, as the release's status, rollback record and audit show it: the
 * rollout code builds it from each watch, and the audit rebuilds it from the recorded watches of a
 * rollout that ran inside its release (no child result to read it from).
 */

/** A rollout step's name: `50% step` (a canary or the full step) or `shadow` (the shadow bake). */
export function rolloutStepLabel(step: { percent: number; mode?: string }): string {
  return step.mode === 'shadow' ? 'shadow' : `${step.percent}% step`;
}

/** A step's watch reason under the step's name (`50% step: ...`, `shadow: ...`). */
export function rolloutStepReason(step: { percent: number; mode?: string }, watchReason: string): string {
  return `${rolloutStepLabel(step)}: ${watchReason}`;
}

/** An A/B rollout ended by its SLO watch. */
export function abSloBreachReason(percent: number, watchReason: string): string {
  return `A/B ${percent}%: SLO breach: ${watchReason}`;
}

/** An A/B rollout ended by its KPI experiment. */
export function abExperimentReason(percent: number, verdict: string, experimentReason: string): string {
  return `A/B ${percent}%: ${verdict}: ${experimentReason}`;
}
