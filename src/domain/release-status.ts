/** What `mlgate status`, the approvals server and the audit read from a running release. Pure. */
import type { ReleaseView } from './approval/views';
import type { KpiVerdict } from './monitor/kpi-verdict';
import type { Outcome, Stage, TriggerReason } from './release';

export interface StageEntry {
  stage: Stage;
  at: string;
}

export interface RollbackRecord {
  at: string;
  reason: string;
  /** What caused it: the failed analysis checks, the gate decision, or the cancellation. */
  evidence: unknown;
  restoredRouting: unknown;
}

/**
 * One approval mail batch: sent, being retried, or failed after its retries. Visible in status
 * from the first failed attempt on, and never blocking the gate.
 */
export interface NotificationRecord {
  gate: string;
  kind: 'opened' | 'reminder' | 'escalation';
  /** When the latest attempt ended. */
  at: string;
  /** Approvers who have this mail (sent now or by an earlier attempt). */
  sent: string[];
  /** The latest attempt's error; absent once the batch is sent. */
  error?: string;
  /** Absent in releases recorded before the workflow owned the retries (their `error` is final). */
  state?: 'sent' | 'retrying' | 'failed';
  attempts?: number;
  /** While `retrying`: when the next attempt starts. */
  nextAttemptAt?: string;
}

export interface ReleaseStatus extends ReleaseView {
  stage: Stage;
  outcome?: Outcome;
  reason: TriggerReason;
  reasonDetail: string;
  snapshotId?: string;
  artifactId?: string;
  championAtStart?: string | null;
  timeline: StageEntry[];
  reasons: string[];
  rollback?: RollbackRecord;
  /** The online KPI verdict of the candidate, when the SLO asks for a KPI bake before promotion. */
  kpi?: KpiVerdict;
  notifications: NotificationRecord[];
}
