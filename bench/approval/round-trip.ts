/**
 * One approval round trip on a real release waiting at its deploy gate, delivered three ways:
 * the HTTP API (approvals server -> Update), the Update itself (what `mlgate approve` sends), and
 * the baseline of a signal-only orchestrator (Signal, then poll the status query). Times come
 * from the caller's clock and from the workflow history's event times (same machine clock).
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ModelSpecSchema, type ModelSpecInput } from '../../src/domain/spec';
import { decideUpdate, statusQuery } from '../../src/workflows/messages';
import { releaseWorkflow } from '../../src/workflows/release';

export const Method = { httpApi: 'http-api', update: 'update', signalPoll: 'signal+poll' } as const;
export type Method = (typeof Method)[keyof typeof Method];

export interface Sample {
  method: Method;
  /** Caller's send -> caller knows the decision took effect (ack, or the poll that sees it). */
  ackMs: number;
  /** Caller's send -> the decision is in history (UpdateAccepted / WorkflowExecutionSignaled). */
  recordedMs: number;
  /** Caller's send -> the workflow scheduled its next step (the deploy lock activity). */
  movedOnMs: number;
}

export interface RoundTripContext {
  client: Client;
  taskQueue: string;
  dataDir: string;
  approvalsUrl: string;
  /** API token of the approver. */
  apiToken: string;
  approver: string;
  /** How often the signal baseline polls the status query. */
  pollMs: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small, quick-to-train spec: the benchmark is about the gate, not training. */
function benchSpec(id: string, approver: string): ModelSpecInput {
  return {
    id, owner: 'owner@example.com', riskClass: 'medium',
    data: {
      source: { kind: 'synthetic-credit', rows: 600, seed: 1 }, label: 'default',
      features: ['age', 'income', 'debt_ratio', 'credit_lines', 'late_payments', 'region'], categorical: ['region'],
      pii: [{ column: 'name', action: 'drop' }, { column: 'email', action: 'hash' }], split: { kind: 'random', testFraction: 0.25, seed: 3 },
    },
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 30, learningRate: 0.2 }, seed: 7 },
    offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.5 }] },
    approval: { approvers: [approver] },
  };
}

/** Starts a release of a fresh model and waits until its deploy gate is open. */
export async function releaseAtGate(ctx: RoundTripContext, model: string): Promise<WorkflowHandle<typeof releaseWorkflow>> {
  const handle = await ctx.client.workflow.start(releaseWorkflow, {
    taskQueue: ctx.taskQueue, workflowId: `release-${model}`,
    args: [{ spec: ModelSpecSchema.parse(benchSpec(model, ctx.approver)), specDir: ctx.dataDir, requester: 'carol@example.com', codeVersion: 'bench', lockWait: '10s' }],
  });
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(200)) {
    const s = await handle.query(statusQuery);
    if (s.stage === 'awaiting_deploy_approval') return handle;
    if (s.stage === 'done') throw new Error(`${handle.workflowId} ended before its gate: ${s.outcome} ${s.reasons.join('; ')}`);
  }
  throw new Error(`${handle.workflowId} did not reach its deploy gate within 120 s`);
}

async function send(ctx: RoundTripContext, handle: WorkflowHandle, method: Method): Promise<void> {
  const comment = `bench via ${method}`;
  if (method === Method.update) {
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'deploy', approver: ctx.approver, decision: 'approve', comment, channel: 'cli' }] });
    return;
  }
  if (method === Method.httpApi) {
    const r = await fetch(`${ctx.approvalsUrl}/api/releases/${handle.workflowId}/gates/deploy/decisions`, {
      method: 'POST', headers: { authorization: `Bearer ${ctx.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'approve', comment }),
    });
    if (r.status !== 200) throw new Error(`API decision for ${handle.workflowId} answered ${r.status}: ${await r.text()}`);
    return;
  }
  await handle.signal('decision', { gate: 'deploy', approver: ctx.approver, decision: 'approve', comment });
  // A signal has no answer: the caller learns the outcome only by polling.
  while ((await handle.query(statusQuery)).gates[0].status !== 'approved') await sleep(ctx.pollMs);
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];
const eventMs = (e: HistoryEvent): number => {
  const s = e.eventTime?.seconds ?? 0;
  return (typeof s === 'number' ? s : s.toNumber()) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
};

/** The activity a local-activity marker records (the lock is a local activity since 'local-short-steps': its marker is written once it ran). */
function localActivityType(e: HistoryEvent): string | undefined {
  const m = e.markerRecordedEventAttributes;
  const data = m?.markerName === 'core_local_activity' ? m.details?.data?.payloads?.[0]?.data : undefined;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
}

/** Event times of "decision recorded" and "next step scheduled", waiting for the latter to exist. */
async function historyTimes(handle: WorkflowHandle): Promise<{ recorded: number; movedOn: number }> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(20)) {
    const events = (await handle.fetchHistory()).events ?? [];
    const recorded = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionSignaledEventAttributes);
    const next = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'acquireReleaseLock' || localActivityType(e) === 'acquireReleaseLock');
    if (recorded && next) return { recorded: eventMs(recorded), movedOn: eventMs(next) };
  }
  throw new Error(`${handle.workflowId}: no acquireReleaseLock activity scheduled or recorded within 30 s of the decision`);
}

/** Decides once, measures, then terminates the release so its rollout does not load the machine. */
export async function measureRoundTrip(ctx: RoundTripContext, handle: WorkflowHandle, method: Method): Promise<Sample> {
  const t0 = now();
  await send(ctx, handle, method);
  const ackMs = now() - t0;
  const h = await historyTimes(handle);
  await handle.terminate('benchmark sample taken');
  return { method, ackMs, recordedMs: h.recorded - t0, movedOnMs: h.movedOn - t0 };
}
