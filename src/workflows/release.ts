/**
 * One release of one model, `release-<model>-<n>`: snapshot -> train -> evaluate -> register ->
 * deploy gate -> rollout -> promote gate -> promote -> post-promotion watch.
 * Once anything is deployed, every failure, rejection or cancellation runs the rollback in a
 * non-cancellable scope. The history is the audit trail.
 */
import { ApplicationFailure, CancellationScope, executeChild, isCancellation, patched, proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { durationMs } from '../domain/duration';
import { watchesInRollout } from '../domain/analysis/alpha-budget';
import { ErrorType, formatIssues } from '../domain/errors';
import { offlineEvidence } from '../domain/release-evidence';
import type { Verdict } from '../domain/analysis/verdict';
import type { KpiVerdict } from '../domain/monitor/kpi-verdict';
import { judgeOffline } from '../domain/offline-gate';
import { ReleaseInputSchema, type Outcome, type ReleaseInputRaw, type ReleaseResult } from '../domain/release';
import type { NotificationRecord } from '../domain/release-status';
import type { RoutingInput } from '../domain/routing';
import type { GateName } from '../domain/spec';
import { runGate, type GateRunner } from './release-gates';
import { ReleaseState } from './release-state';
import { rolloutWorkflow, runRollout, type RolloutInput, type RolloutResult } from './rollout';
import { failureMessage } from './failure-message';
import { shortSteps, type ShortStepActivities } from './short-steps';

// Short registry, routing and lock steps (seconds of work, idempotent under retry: see
// src/activities/pipeline/registry-activities.ts and deploy/index.ts). A short start-to-close is
// what recovers an attempt the server handed to a worker poll that never received it (seen on a
// loaded two-worker cluster: the attempt shows started, no worker runs it); the database waits
// inside are bounded well below it (src/adapters/postgres/pool-options.ts).
const io = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 10, initialInterval: '1s', maximumInterval: '10s' } });
// Snapshot and evaluation heartbeat: a worker killed mid-way is noticed in seconds, not after 10 minutes.
const data = proxyActivities<Activities>({ startToCloseTimeout: '30m', heartbeatTimeout: '30s', retry: { maximumAttempts: 3, initialInterval: '1s' } });
// Compensation must get through: retry long, with backoff, before giving up.
const compensation = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 30, initialInterval: '500ms', maximumInterval: '10s' } });
// Releases recorded before 'mail-retry-in-workflow' let the activity retry by itself.
const mail = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 8, initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' } });
// Pointing the monitor inside the workflow task that reaches it, since 'rollout-in-release': a
// signal-with-start, seconds at most and harmless to repeat (the same target again).
const localMonitor = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 5, initialInterval: '1s', maximumInterval: '10s' } });
// One attempt per call: the workflow owns the retries (spec.approval.mailRetry), so each failure shows in status.
const mailOnce = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 1 } });

type MailArgs = Parameters<Activities['sendApprovalEmails']>[0];

function trainer(state: ReleaseState) {
  const t = state.input.spec.trainer;
  return proxyActivities<Activities>({
    taskQueue: state.input.trainingTaskQueue,
    startToCloseTimeout: t.kind === 'external' ? durationMs(t.timeout) + 60_000 : '30m',
    heartbeatTimeout: '30s',
    retry: { maximumAttempts: 3, initialInterval: '1s' },
  }).trainModel;
}

/** The innermost message: an ActivityFailure's cause says what actually went wrong. */
/** Mutable facts the compensation needs: what is deployed and what to restore. */
interface Deployment {
  artifactId: string;
  restore: RoutingInput;
}

class Release {
  private deployment?: Deployment;
  private lockHeld = false;
  /** Set when the rollout starts: whether this release runs it itself ('rollout-in-release'), and points its monitor locally. */
  private rolloutInRelease = false;
  private readonly short: ShortStepActivities;

  constructor(private readonly s: ReleaseState) {
    // In the first workflow task, before any activity: local steps decide every later patch here.
    this.short = shortSteps(s.input.shortSteps, io, compensation);
  }

  private get spec() {
    return this.s.input.spec;
  }

  private done(outcome: Outcome, reasons: string[] = []): ReleaseResult {
    this.s.finish(outcome, reasons);
    const st = this.s.status;
    return { releaseId: st.releaseId, model: st.model, outcome, artifactId: st.artifactId, snapshotId: st.snapshotId, reasons: st.reasons };
  }

  private gateRunner(): GateRunner {
    const st = this.s.status;
    return {
      policy: this.s.policy,
      requester: this.s.input.requester,
      owner: this.spec.owner,
      get: (g) => this.s.gate(g),
      set: (g) => this.s.setGate(g),
      nowIso: () => this.s.nowIso(),
      notify: (kind, gate, recipients, sequence) => {
        if (recipients.length === 0) return;
        const args = {
          releaseId: st.releaseId, runId: st.runId, model: st.model, gate: gate.gate, approvers: recipients, evidence: st.evidence, kind,
          openingId: gate.opening, sequence, deadline: gate.deadline,
        };
        if (patched('mail-retry-in-workflow')) return void this.mailWithRetries(args);
        void mail.sendApprovalEmails(args).then(
          (r) => void st.notifications.push({ gate: gate.gate, kind, at: this.s.nowIso(), sent: r.sent }),
          (err: Error) => void st.notifications.push({ gate: gate.gate, kind, at: this.s.nowIso(), sent: [], error: failureMessage(err) }),
        );
      },
    };
  }

  /**
   * Sends one mail batch, retrying with doubling waits. The status record appears when the first
   * attempt ends and is updated after each one: `sent`, `retrying` (error, next attempt) or `failed`.
   * Approvers already mailed for this opening are skipped by the activity, so a retry mails nobody twice.
   */
  private async mailWithRetries(args: MailArgs): Promise<void> {
    const policy = this.spec.approval.mailRetry;
    const waitMs = (attempt: number) => Math.min(durationMs(policy.initialInterval) * 2 ** (attempt - 1), durationMs(policy.maxInterval));
    let record: NotificationRecord | undefined;
    const note = (r: Omit<NotificationRecord, 'gate' | 'kind' | 'at'>) => {
      const next: NotificationRecord = { gate: args.gate, kind: args.kind, at: this.s.nowIso(), ...r };
      if (record) Object.assign(record, { error: undefined, nextAttemptAt: undefined }, next);
      else this.s.status.notifications.push((record = next));
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await mailOnce.sendApprovalEmails(args);
        return note({ sent: args.approvers.filter((a) => r.sent.includes(a) || r.skipped.includes(a)), state: 'sent', attempts: attempt });
      } catch (err) {
        if (isCancellation(err)) return;
        const last = attempt >= policy.attempts || (err as { cause?: { nonRetryable?: boolean } }).cause?.nonRetryable === true;
        note({ sent: record?.sent ?? [], error: failureMessage(err), state: last ? 'failed' : 'retrying', attempts: attempt, ...(last ? {} : { nextAttemptAt: new Date(Date.now() + waitMs(attempt)).toISOString() }) });
        if (last) return;
      }
      try {
        await sleep(waitMs(attempt));
      } catch {
        return; // the release was cancelled: its mail no longer matters
      }
    }
  }

  private async gate(name: GateName, stage: 'awaiting_deploy_approval' | 'awaiting_promote_approval'): Promise<Outcome | null> {
    this.s.enter(stage);
    const g = await runGate(this.gateRunner(), name);
    if (g.status === 'approved' || g.status === 'skipped') return null;
    return g.status === 'timed_out' ? 'gate_timed_out' : 'rejected_at_gate';
  }

  /** Idempotent and non-cancellable: routing and aliases go back together, with the evidence. */
  async rollback(reason: string, evidence: unknown): Promise<void> {
    const d = this.deployment;
    if (!d) return;
    await CancellationScope.nonCancellable(async () => {
      this.s.enter('rolling_back');
      const r = await compensation.rollbackRelease({ model: this.spec.id, releaseId: this.s.status.releaseId, artifactId: d.artifactId, routing: d.restore, actor: 'mlgate', reason });
      this.s.status.rollback = { at: this.s.nowIso(), reason, evidence, restoredRouting: r.routing };
      this.deployment = undefined;
    });
  }

  /** Starts or re-points `monitor-<model>`; a monitor that cannot start must not undo a promotion. */
  private async pointMonitor(reason: string): Promise<void> {
    if (!patched('monitor-on-promotion')) return;
    await (this.rolloutInRelease ? localMonitor : io).ensureMonitor({ spec: this.spec, specDir: this.s.input.specDir, codeVersion: this.s.input.codeVersion, reason }).catch((err) => void this.s.status.reasons.push(`monitor not started: ${failureMessage(err)}`));
  }

  async releaseLock(): Promise<void> {
    if (!this.lockHeld) return;
    await CancellationScope.nonCancellable(() => this.short.releaseReleaseLock({ model: this.spec.id, releaseId: this.s.status.releaseId }));
    this.lockHeld = false;
  }

  /** Only one release per model may be past its deploy gate; the next one waits, bounded. */
  private async acquireLock(): Promise<boolean> {
    const deadline = Date.now() + durationMs(this.s.input.lockWait);
    for (;;) {
      const r = await this.short.acquireReleaseLock({ model: this.spec.id, releaseId: this.s.status.releaseId });
      if (r.ok) return (this.lockHeld = true);
      if (Date.now() >= deadline) return false;
      if (this.s.status.stage !== 'waiting_for_lock') this.s.enter('waiting_for_lock');
      await sleep('2s');
    }
  }

  async run(): Promise<ReleaseResult> {
    const st = this.s.status;
    this.s.enter('snapshot');
    const snap = await data.snapshotDataset({ spec: this.spec, specDir: this.s.input.specDir });
    st.snapshotId = snap.snapshotId;
    this.s.enter('train');
    const art = await trainer(this.s)({ spec: this.spec, snapshotId: snap.snapshotId, codeVersion: this.s.input.codeVersion, specDir: this.s.input.specDir });
    st.artifactId = art.artifactId;
    const { champion } = await io.getAliases({ model: this.spec.id });
    st.championAtStart = champion;
    if (champion === art.artifactId) return this.done('superseded', [`artifact ${art.artifactId} is identical to the current champion; nothing to release`]);
    this.s.enter('evaluate');
    const ev = await data.evaluateCandidate({ spec: this.spec, snapshotId: snap.snapshotId, artifactId: art.artifactId, ...(champion ? { championArtifactId: champion } : {}) });
    st.evidence = { ...st.evidence, offline: offlineEvidence(ev), ...(ev.modelCard ? { modelCardUrl: ev.modelCard.markdownPath } : {}) };
    const offline = judgeOffline(ev, this.spec.offline);
    if (!offline.pass) return this.done('rejected_offline', offline.reasons);
    this.s.enter('register');
    await this.short.registerVersion({
      model: this.spec.id, releaseId: st.releaseId, artifactId: art.artifactId, snapshotId: snap.snapshotId, codeVersion: art.codeVersion,
      trainer: art.trainer, algorithm: art.algorithm, params: art.params, seed: art.seed, metrics: ev.metrics,
      ...(ev.modelCard ? { modelCardPath: ev.modelCard.markdownPath } : {}),
    });
    const denied = await this.gate('deploy', 'awaiting_deploy_approval');
    if (denied) return this.done(denied, [this.s.gate('deploy').closedReason ?? denied]);
    return this.deployAndPromote(art.artifactId, champion);
  }

  private async deployAndPromote(artifactId: string, champion: string | null): Promise<ReleaseResult> {
    if (!(await this.acquireLock())) return this.done('superseded', [`another release of ${this.spec.id} held the deploy lock for longer than ${this.s.input.lockWait}`]);
    const now = await this.short.getAliases({ model: this.spec.id });
    if (now.champion !== champion) return this.done('superseded', [`champion changed from ${champion ?? 'none'} to ${now.champion ?? 'none'} while this release waited; its evaluation is stale`]);
    const before = await this.short.getRouting({ model: this.spec.id });
    this.deployment = { artifactId, restore: { stable: before?.stable ?? null, ...(before?.stickyHeader ? { stickyHeader: before.stickyHeader } : {}) } };
    await this.short.setCandidateAlias({ model: this.spec.id, releaseId: this.s.status.releaseId, artifactId });
    this.s.enter('rollout');
    const rollout = await this.rollout({
      model: this.spec.id, releaseId: this.s.status.releaseId, candidate: artifactId, stable: before?.stable?.version ?? null, strategy: this.spec.strategy, slo: this.spec.slo,
    });
    this.s.status.evidence = { ...this.s.status.evidence, canary: { steps: rollout.steps }, ...(rollout.experiment ? { experiment: rollout.experiment } : {}) };
    const holdForHuman = this.holdsForHuman(rollout.verdict);
    if (rollout.verdict !== 'pass' && !holdForHuman) {
      await this.rollback(rollout.reason, rollout.evidence);
      return this.done('rolled_back', [rollout.reason]);
    }
    if (holdForHuman) this.s.status.reasons.push(`${rollout.verdict === 'error' ? 'rollout could not be measured (metrics error)' : 'rollout inconclusive'}, held for a human: ${rollout.reason}`);
    else if (rollout.experiment) this.s.status.reasons.push(`A/B experiment: ${rollout.reason}`);
    const kpi = this.spec.slo.kpiBake && patched('kpi-bake') ? await this.kpiBake(artifactId) : null;
    if (kpi && (kpi.verdict === 'fail' || (kpi.verdict === 'inconclusive' && this.spec.slo.kpiBake?.onInconclusive === 'rollback'))) {
      await this.rollback(`online KPI ${kpi.verdict}: ${kpi.reason}`, { kpi });
      return this.done('rolled_back', [`online KPI ${kpi.verdict}: ${kpi.reason}`]);
    }
    if (kpi?.verdict === 'inconclusive') this.s.status.reasons.push(`online KPI inconclusive, held for a human: ${kpi.reason}`);
    const denied = await this.gate('promote', 'awaiting_promote_approval');
    if (denied) {
      await this.rollback(this.s.gate('promote').closedReason ?? denied, { gate: this.s.gate('promote') });
      return this.done(denied, [this.s.gate('promote').closedReason ?? denied]);
    }
    return this.promote(artifactId, champion);
  }

  /**
   * The rollout, in this workflow: each step shows in the status as its watch ends. Releases
   * recorded before the 'rollout-in-release' patch ran it as the child `<releaseId>-rollout`, and
   * replay so; `rolloutIn: 'child'` still does (the benchmarks' baseline).
   * In the release itself it saves the child's start, its first and last workflow tasks, the
   * parent's tasks for its start and its result, and the worker's creating a second workflow.
   * The same patch points the monitor with a local activity (`pointMonitor`): one round trip less
   * between the promotion and the post-promotion watch.
   */
  private rollout(input: RolloutInput): Promise<RolloutResult> {
    this.rolloutInRelease = this.s.input.rolloutIn === 'release' && patched('rollout-in-release');
    if (!this.rolloutInRelease) return executeChild(rolloutWorkflow, { workflowId: `${input.releaseId}-rollout`, args: [input] });
    return runRollout(input, (steps) => void (this.s.status.evidence = { ...this.s.status.evidence, canary: { steps: [...steps] } }));
  }

  /**
   * Whether a rollout that did not pass waits for a human at the promote gate instead of rolling
   * back. "Could not measure" (`error`) has its own policy, `slo.onMetricsError`; releases recorded
   * before 'metrics-error-verdict' never saw an `error` verdict, and treat it as inconclusive.
   */
  private holdsForHuman(verdict: Verdict): boolean {
    // An A/B experiment without a winner or a loser is a business call: always the promote gate.
    if (verdict === 'inconclusive' && this.spec.strategy.kind === 'ab' && patched('ab-experiment')) return true;
    if (verdict === 'error' && patched('metrics-error-verdict')) return this.spec.slo.onMetricsError === 'hold';
    return (verdict === 'inconclusive' || verdict === 'error') && this.spec.slo.onInconclusive === 'hold';
  }

  /** Waits on timers (days are fine) until delayed labels give the candidate a KPI verdict, or the bake ends. */
  private async kpiBake(artifactId: string): Promise<KpiVerdict> {
    const k = this.spec.slo.kpiBake!;
    this.s.enter('kpi_bake');
    const deadline = Date.now() + durationMs(k.bake);
    for (;;) {
      const kpi = await io.readKpiVerdict({ spec: this.spec, version: artifactId });
      this.s.status.kpi = kpi;
      if (kpi.verdict !== 'inconclusive' || Date.now() >= deadline) return kpi;
      await sleep(Math.max(1, Math.min(durationMs(k.checkEvery), deadline - Date.now())));
    }
  }

  private async promote(artifactId: string, champion: string | null): Promise<ReleaseResult> {
    this.s.enter('promoting');
    try {
      await io.promoteRelease({ model: this.spec.id, releaseId: this.s.status.releaseId, artifactId, expectedChampion: champion, actor: 'mlgate' });
    } catch (err) {
      if ((err as { cause?: { type?: string } }).cause?.type !== ErrorType.AliasConflict) throw err;
      const why = (err as { cause?: Error }).cause?.message ?? 'champion changed';
      await this.rollback(why, { conflict: why });
      return this.done('superseded', [why]);
    }
    // After promotion the rollback target is the old champion: the routing captured before the rollout.
    await this.pointMonitor(`promoted ${this.s.status.releaseId}`);
    this.s.enter('post_promotion_watch');
    const s = this.spec.strategy;
    const bakeMs = durationMs(s.postPromotionWatch);
    const watch = await proxyActivities<Activities>({ startToCloseTimeout: bakeMs + durationMs(this.spec.slo.inconclusiveAfter) + 60_000, heartbeatTimeout: '10s', retry: { maximumAttempts: 3 } }).watchRollout({
      model: this.spec.id, candidateVersion: artifactId, stableVersion: null, mode: 'canary', slo: this.spec.slo, bakeMs, pollMs: 250, inconclusiveAfterMs: bakeMs,
      watches: watchesInRollout(s),
    });
    if (watch.verdict === 'fail') {
      await this.rollback(`post-promotion watch: ${watch.reason}`, watch.evidence);
      await this.pointMonitor(`rolled back ${this.s.status.releaseId}`);
      return this.done('rolled_back', [`post-promotion watch: ${watch.reason}`]);
    }
    this.deployment = undefined; // promoted and watched: nothing left to compensate
    // Only a measured breach undoes a promotion; too little evidence or no metrics is noted for people.
    const unsure = { inconclusive: 'post-promotion watch inconclusive', error: 'post-promotion watch could not measure (metrics error)' } as const;
    return this.done('promoted', watch.verdict === 'inconclusive' || watch.verdict === 'error' ? [`${unsure[watch.verdict]}: ${watch.reason}`] : []);
  }
}

export async function releaseWorkflow(raw: ReleaseInputRaw): Promise<ReleaseResult> {
  const parsed = ReleaseInputSchema.safeParse(raw);
  if (!parsed.success) throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `release input: ${formatIssues(parsed.error.issues).join('; ')}` });
  const state = new ReleaseState(parsed.data);
  state.installHandlers();
  const release = new Release(state);
  try {
    return await release.run();
  } catch (err) {
    const cancelled = isCancellation(err);
    const why = cancelled ? 'release cancelled' : `release failed: ${failureMessage(err)}`;
    await release.rollback(why, { error: why });
    state.finish(cancelled ? 'cancelled' : 'failed', [why]);
    throw err;
  } finally {
    await release.releaseLock();
  }
}
