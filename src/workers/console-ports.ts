/**
 * The console's ports on Temporal, the registry and the gateway admin API. Actions run under a
 * client whose identity names the person, so the history says who cancelled or rolled back and
 * that it came through the console.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { startRollback } from '../adapters/release-starter/temporal';
import type { GatewayAdmin } from '../adapters/gateway/gateway-admin';
import { buildAuditRecord, listReleases, modelHistory, verifyAuditRecord } from '../audit';
import type { ReleaseStatus } from '../domain/release-status';
import type { ModelSpec } from '../domain/spec';
import { startRelease } from '../adapters/release-starter/temporal';
import type { ApprovalsStore } from '../ports/approvals-store';
import type { ReviewClient } from '../adapters/gateway/review-client';
import { REVIEW_PAGE_LIMIT, type ConsolePorts, type MonitorSummary, type ReviewQueueView } from '../ports/console';
import { monitorId } from '../ports/monitor-starter';
import type { Registry } from '../ports/registry';
import { statusQuery } from '../workflows/messages';
import { monitorStatusQuery } from '../workflows/monitor-messages';
import { monitorPeriods } from './monitor-periods';

export interface ConsolePortsOptions {
  client: Client;
  taskQueue: string;
  registry: Pick<Registry, 'getAliases' | 'listVersions' | 'aliasHistory'>;
  gateway: Pick<GatewayAdmin, 'getRouting' | 'window'>;
  /** The gateway's review API, the one `mlgate review` uses. */
  review: Pick<ReviewClient, 'list' | 'label'>;
  store: Pick<ApprovalsStore, 'refused'>;
  /** The spec a console-started release of `model` uses; null when there is none. @default none: no starting from the console */
  loadSpec?: (model: string) => { spec: ModelSpec; dir: string } | null;
  /** Recorded in lineage for console-started releases. @default "console" */
  codeVersion?: string;
  trainingTaskQueue?: string;
}

/** How the console names a person in Temporal's identity field (history events, the UI). */
export const consoleIdentity = (who: string) => `${who} via mlgate console`;

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

async function monitorSummary(client: Client, model: string): Promise<MonitorSummary | null> {
  const handle = client.workflow.getHandle(monitorId(model));
  const d = await orNull(handle.describe());
  if (!d) return null;
  const s = await handle.query(monitorStatusQuery).catch(() => null);
  const last = s?.last;
  const lastVerdict = last && last.status === 'checked' ? `drift ${last.drift.verdict}; ${'unavailable' in last.slo ? `SLO unavailable: ${last.slo.unavailable}` : 'SLO checked'}; ${last.samples} samples` : null;
  const firstPeriod = s ? s.carry.totalPeriods - s.periodsThisRun + 1 : 1;
  // The charts are extra: a history that cannot be read leaves the rest of the status standing.
  const recent = s ? await monitorPeriods(client, { workflowId: d.workflowId, runId: d.runId, firstPeriod }).catch(() => []) : [];
  const alertList = (s?.carry.alerts ?? []).map((a) => ({ period: a.period, at: a.at, drifted: a.drifted, labelledRows: a.labelledRows, releaseId: a.releaseId, started: a.started }));
  const guardEvents = (s?.carry.guardEvents ?? []).map((g) => ({ period: g.period, at: g.at, champion: g.champion, action: g.action, note: g.note, breaches: g.breaches }));
  return { running: d.status.name === 'RUNNING', periods: s?.carry.totalPeriods ?? 0, champion: s?.carry.champion ?? null, alerts: alertList.length, lastError: s?.lastError ?? null, lastVerdict, recent, alertList, guardEvents };
}

async function reviewQueue(review: ConsolePortsOptions['review'], model: string): Promise<ReviewQueueView> {
  try {
    return { items: await review.list(model, { status: 'pending', limit: REVIEW_PAGE_LIMIT }) };
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}

export function createConsolePorts(o: ConsolePortsOptions): ConsolePorts {
  const { client } = o;
  const status = (releaseId: string) => orNull(client.workflow.getHandle(releaseId).query(statusQuery));
  const as = (who: string) => new Client({ connection: client.connection, namespace: client.options.namespace, identity: consoleIdentity(who) });
  const refusedFor = (releaseId: string) => o.store.refused.list({ releaseId });
  const loadSpec = (model: string) => {
    try {
      return o.loadSpec?.(model) ?? null;
    } catch {
      return null; // no spec, or one that does not parse: the page offers no start, and `mlgate spec validate` says why
    }
  };
  return {
    listReleases: (filters) => listReleases({ client, filters }),
    status,
    async model(model) {
      const [latestRow] = await listReleases({ client, filters: { model, limit: 1 } });
      const latest: ReleaseStatus | null = latestRow ? await status(latestRow.releaseId).catch(() => null) : null;
      const versions = (await o.registry.listVersions(model))
        .map((v) => ({ version: v.version, artifactId: v.artifactId, createdAt: v.createdAt, releaseId: v.releaseId, snapshotId: v.snapshotId, metrics: v.metrics }));
      return {
        model, latest, versions,
        aliases: await o.registry.getAliases(model),
        routing: await o.gateway.getRouting(model),
        timeline: await modelHistory({ client, registry: o.registry, model }),
        monitor: await monitorSummary(client, model),
        review: await reviewQueue(o.review, model),
        starters: ((s) => (s ? { owner: s.spec.owner, approvers: s.spec.approval.approvers } : null))(loadSpec(model)),
      };
    },
    async cancel({ releaseId, who }) {
      await as(who).workflow.getHandle(releaseId).cancel();
    },
    async startRelease({ model, who, detail }) {
      const loaded = loadSpec(model);
      if (!loaded) throw new Error(`no spec for ${model}`);
      const input = { spec: loaded.spec, specDir: loaded.dir, requester: who, reason: 'manual' as const, reasonDetail: `${detail} (via console)`.trim(), codeVersion: o.codeVersion ?? 'console', ...(o.trainingTaskQueue ? { trainingTaskQueue: o.trainingTaskQueue } : {}) };
      const handle = await startRelease({ client: as(who), taskQueue: o.taskQueue, input });
      return { releaseId: handle.workflowId };
    },
    async rollback({ model, who, reason }) {
      const handle = await startRollback({ client: as(who), taskQueue: o.taskQueue, request: { model, requester: who, reason: `${reason} (via console)` } });
      return { workflowId: handle.workflowId };
    },
    async labelPrediction({ model, predictionId, label, who }) {
      try {
        return await o.review.label(model, predictionId, { label, reviewer: who });
      } catch (err) {
        if (/failed with HTTP 404/.test((err as Error).message)) return null; // labelled meanwhile, or never queued
        throw err;
      }
    },
    async trafficWindow(model, windowMs) {
      const w = await o.gateway.window(model, { windowMs });
      return w.status === 'ok' ? w.summary : null;
    },
    auditRecord: async (releaseId) => buildAuditRecord({ client, releaseId, refusedAttempts: await refusedFor(releaseId) }),
    async verifyAudit(releaseId) {
      const refusedAttempts = await refusedFor(releaseId);
      const record = JSON.parse(JSON.stringify(await buildAuditRecord({ client, releaseId, refusedAttempts })));
      return verifyAuditRecord({ client, record, refusedAttempts });
    },
  };
}
