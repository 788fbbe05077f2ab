/** Release shapes for the scale-out suite: the small credit-risk spec, judged on Prometheus windows. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Routing } from '../../src/domain/routing';
import type { ModelSpecInput } from '../../src/domain/spec';
import { creditSpec, waitForStage } from '../helpers/release-env';
import { CANDIDATE_TRAINER } from '../integration/rollout/rollout-fixtures';
import type { ClusterTest } from './cluster-fixtures';

/**
 * Low risk (both gates answered by policy) and an inconclusive limit far above a scrape interval or
 * two: a window read through Prometheus needs scrapes of a version before it counts, and a loaded
 * machine must make a release slower, never roll it back as inconclusive.
 */
export function clusterSpec(model: string, overrides: Partial<ModelSpecInput> = {}): ModelSpecInput {
  return creditSpec(model, {
    riskClass: 'low',
    slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '120s', onInconclusive: 'rollback' },
    strategy: { kind: 'canary', steps: [100], stepBake: '3s', postPromotionWatch: '2s' },
    ...overrides,
  });
}

/** A second release of `model`: another artifact (a different seed), a 50% step long enough for a fault to land in it. */
export function candidateSpec(model: string, overrides: Partial<ModelSpecInput> = {}): ModelSpecInput {
  return clusterSpec(model, { trainer: CANDIDATE_TRAINER, strategy: { kind: 'canary', steps: [50, 100], stepBake: '15s', postPromotionWatch: '2s' }, ...overrides });
}

/** Promotes a first release of `model` (traffic must be flowing); returns its artifact id. */
export async function promoteChampion(t: ClusterTest, model: string): Promise<string> {
  const result = await (await t.startRelease(clusterSpec(model))).result();
  if (result.outcome !== 'promoted' || !result.artifactId) throw new Error(`champion release of ${model} ended ${result.outcome}: ${result.reasons.join('; ')}`);
  return result.artifactId;
}

/** Waits until every gateway replica routes `share`% of `model` to the same candidate; returns that candidate's version. */
export async function canaryOnEveryReplica(t: ClusterTest, model: string, share: number, replicas = t.cluster.gateways): Promise<string> {
  const sameCanary = (rs: Array<Routing | null>) => rs.every((x) => x?.candidate?.weight === share && x.candidate.version === rs[0]?.candidate?.version);
  const rs = await waitForStage(() => Promise.all(replicas.map((gw) => t.routing(gw, model))), sameCanary, 300_000);
  return rs[0]!.candidate!.version;
}

/** The pid of the worker that completed the latest workflow task of `h` (its identity is pid@host). */
export async function lastWorkflowTaskPid(h: WorkflowHandle): Promise<number | null> {
  const events = (await h.fetchHistory()).events ?? [];
  const done = events.filter((e) => e.workflowTaskCompletedEventAttributes?.identity).at(-1);
  const identity = done?.workflowTaskCompletedEventAttributes?.identity ?? '';
  return /^\d+@/.test(identity) ? Number(identity.split('@')[0]) : null;
}

export interface RetriedActivity {
  workflowId: string;
  activity: string;
  attempt: number;
  /** The worker (pid@host) that ran the attempt that counted. */
  identity: string;
  /** Why the attempt before it ended, e.g. "activity StartToClose timeout". */
  lastFailure: string;
}

/**
 * Activities of these workflows that needed more than one attempt, read from their histories
 * (Temporal records only the attempt that counted, with the previous attempt's failure): what the
 * load test reports, so a task lost between the server and a worker shows by name.
 */
export async function retriedActivities(client: Client, workflowIds: string[]): Promise<RetriedActivity[]> {
  const found: RetriedActivity[] = [];
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const types = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType?.name ?? '?']));
    for (const e of events) {
      const s = e.activityTaskStartedEventAttributes;
      if (!s || (s.attempt ?? 1) <= 1) continue;
      found.push({ workflowId, activity: types.get(String(s.scheduledEventId)) ?? '?', attempt: s.attempt ?? 0, identity: s.identity ?? '', lastFailure: s.lastFailure?.message ?? '' });
    }
  }
  return found;
}
