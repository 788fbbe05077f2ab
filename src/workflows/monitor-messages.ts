/**
 * The messages and shapes of `monitor-<model>`, apart from the workflow so that clients and the
 * monitor-starter adapter can use them without loading workflow code. Sandbox-safe.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CheckPeriodResult } from '../activities/monitor';
import type { SloLine } from '../activities/monitor/check-period';
import type { GuardState } from '../domain/monitor/slo-guard';
import type { DebounceState } from '../domain/monitor/debounce';
import type { NumericStats } from '../domain/data/reference-stats';
import type { ModelSpec } from '../domain/spec';

export interface MonitorTarget {
  spec: ModelSpec;
  specDir: string;
  codeVersion: string;
  /** Why the monitor was (re-)pointed, for people reading the status. */
  reason: string;
}

export interface MonitorAlert {
  period: number;
  at: string;
  drifted: string[];
  evidencePath: string;
  /** Labelled predictions exported for the retrain's snapshot. */
  labelledRows: number;
  releaseId: string | null;
  started: boolean;
}

/** What the SLO guard did: a rollback it started, or an alert instead (and why). */
export interface GuardEvent {
  period: number;
  at: string;
  champion: string;
  action: 'rollback' | 'alert';
  /** "rolled back to art-…", "no previous version to roll back to", or why it only alerted. */
  note: string;
  rollbackId: string | null;
  to: string | null;
  breaches: string[];
}

/** What survives continue-as-new. */
export interface MonitorCarry {
  afterSeq: number;
  debounce: DebounceState;
  champion: string | null;
  predictionBaseline?: NumericStats;
  totalPeriods: number;
  runs: number;
  /** The last 20 alerts. */
  alerts: MonitorAlert[];
  /** The SLO guard's state; absent in carries from before the guard (it then starts fresh). */
  guard?: GuardState;
  /** The current champion's breached SLO lines (the evidence the guard acts on). */
  guardEvidence?: SloLine[];
  /** The champion `target.reason` already names (set by the guard's rollback), so seeing it is no unexplained change. */
  reasonNamesChampion?: string;
  /** The last 20 things the guard did. */
  guardEvents?: GuardEvent[];
}

export interface MonitorInput extends MonitorTarget {
  model: string;
  carry?: MonitorCarry;
}

export interface MonitorStatus {
  model: string;
  target: { reason: string; period: string };
  carry: MonitorCarry;
  periodsThisRun: number;
  last: CheckPeriodResult | null;
  /** The last failed check or alert, if the latest attempt failed (the monitor keeps going). */
  lastError: string | null;
}

export const monitorRepointSignal = defineSignal<[MonitorTarget]>('monitorRepoint');
export const monitorStatusQuery = defineQuery<MonitorStatus>('monitorStatus');
