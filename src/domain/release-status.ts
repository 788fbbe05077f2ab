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

/** One approval mail batch: sent, or failed after its retries (visible in status, never blocking the gate). */
export interface NotificationRecord {
  gate: string;
  kind: 'opened' | 'reminder' | 'escalation';
  at: string;
  sent: string[];
  error?: string;
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
