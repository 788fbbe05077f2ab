/**
 * What the console reads and does beyond deciding gates: visibility, the status query, the
 * registry, the gateway's routing, the monitor, the audit record, and the cancel and rollback
 * actions. Built in `src/workers/console-ports.ts` from a Temporal client and the stores; tests
 * may build it from anything with the same shape.
 */
import type { WindowSummary } from '../domain/analysis/window-summary';
import type { ProductionTimeline } from '../domain/audit/production-timeline';
import type { ReleaseFilters } from '../domain/audit/releases-query';
import type { AliasMap } from '../domain/registry/aliases';
import type { ReleaseStatus } from '../domain/release-status';
import type { ReviewItem } from '../domain/monitor/review-rules';
import type { Routing } from '../domain/routing';

export type ReleaseRow = {
  releaseId: string;
  model: string | null;
  stage: string | null;
  outcome: string | null;
  status: string;
  startTime: string;
  closeTime: string | null;
};

export type VersionRow = { version: number; artifactId: string; createdAt: string; releaseId?: string; snapshotId?: string; metrics: Record<string, number> };

/** One judged period of the monitor's current run: its drift and its SLO line. */
export type MonitorPeriod = {
  period: number;
  at: string;
  samples: number;
  driftVerdict: string;
  drifted: string[];
  /** The largest PSI over the features; null without features. */
  maxFeaturePsi: number | null;
  predictionPsi: number | null;
  slo: { requests: number; errorRate: number | null; p99Ms: number | null; breaches: string[] } | { unavailable: string };
};

export type MonitorAlertRow = { period: number; at: string; drifted: string[]; labelledRows: number; releaseId: string | null; started: boolean };
export type GuardEventRow = { period: number; at: string; champion: string; action: 'rollback' | 'alert'; note: string; breaches: string[] };

export type MonitorSummary = {
  running: boolean; periods: number; champion: string | null; alerts: number; lastError: string | null; lastVerdict: string | null;
  /** The periods judged in the monitor's current run (it continues as new now and then), oldest first. */
  recent: MonitorPeriod[];
  /** The last 20 drift alerts and the last 20 things the SLO guard did, oldest first. */
  alertList: MonitorAlertRow[];
  guardEvents: GuardEventRow[];
};

/** The gateway's queue of low-confidence predictions waiting for a human label, or why it cannot be read. */
export type ReviewQueueView = { items: ReviewItem[] } | { unavailable: string };
/** At most this many pending predictions are read for the model page. */
export const REVIEW_PAGE_LIMIT = 50;

export type ModelPage = {
  model: string;
  aliases: AliasMap;
  versions: VersionRow[];
  routing: Routing | null;
  timeline: ProductionTimeline;
  monitor: MonitorSummary | null;
  /** The newest release of the model, whose owner and approvers may operate it. */
  latest: ReleaseStatus | null;
  /** Owner and approvers from the model's spec (MLGATE_MODELS_DIR), who may start a release; null without a spec. */
  starters: { owner: string; approvers: string[] } | null;
  review: ReviewQueueView;
};

export type AuditCheck = { ok: boolean; problems: string[]; notes: string[] };

export type ConsolePorts = {
  listReleases(filters: ReleaseFilters): Promise<ReleaseRow[]>;
  status(releaseId: string): Promise<ReleaseStatus | null>;
  model(model: string): Promise<ModelPage>;
  /** Requests cancellation; the history names `who` (via the console) as the requester. */
  cancel(o: { releaseId: string; who: string }): Promise<void>;
  /** Starts `release-<model>-<n>` from the model's spec, requested by `who`. */
  startRelease(o: { model: string; who: string; detail: string }): Promise<{ releaseId: string }>;
  /** Starts `rollback-<model>-<n>` to the previous champion. */
  rollback(o: { model: string; who: string; reason: string }): Promise<{ workflowId: string }>;
  /** Labels a queued prediction through the gateway's review API (as `mlgate review label`), as `who`; null when it is not in the queue. */
  labelPrediction(o: { model: string; predictionId: string; label: string; who: string }): Promise<ReviewItem | null>;
  /** The gateway's metrics per version over the last `windowMs`; null when it cannot say. */
  trafficWindow(model: string, windowMs: number): Promise<WindowSummary | null>;
  auditRecord(releaseId: string): Promise<unknown>;
  verifyAudit(releaseId: string): Promise<AuditCheck>;
};
