/**
 * The audit body of a release: trigger, spec and policy (hashed), lineage, offline evidence,
 * gates, rollout, promotion or rollback with its cause, and the end state. Pure: the hash
 * function is injected so this stays free of node builtins.
 */
import { resolvePolicy } from '../approval/policy';
import { canonicalJson } from '../canonical-json';
import type { Evaluation } from '../metrics/evaluation';
import { judgeOffline } from '../offline-gate';
import { offlineEvidence } from '../release-evidence';
import { ReleaseInputSchema, type ReleaseInput } from '../release';
import { activityCalls, at, first, str, type ActivityCall, type AuditEvent, type AuditHistory } from './audit-event';
import type { AuditBody, AuditRecord } from './audit-record';
import { auditGates } from './gate-audit';
import { finalState } from './final-state';
import { auditRollout, auditRolloutInRelease } from './rollout-audit';

export interface RefusedLogEntry {
  at: string;
  who: string;
  gate: string;
  channel: string;
  code: string;
  reason: string;
}

export interface ReleaseAuditInput {
  runs: AuditHistory[];
  children: AuditHistory[];
  refusedAttempts: readonly RefusedLogEntry[];
  hash: (text: string) => string;
}

const call = (calls: ActivityCall[], type: string) => calls.find((c) => c.activityType === type);

function releaseInput(started: AuditEvent | undefined): ReleaseInput {
  const parsed = ReleaseInputSchema.safeParse(first(started?.attrs.input));
  if (!parsed.success) throw new Error('the first history event does not carry a valid release input; is this a releaseWorkflow history?');
  return parsed.data;
}

function lineage(input: ReleaseInput, calls: ActivityCall[]): AuditRecord['lineage'] {
  const snap = call(calls, 'snapshotDataset')?.result as Record<string, unknown> | undefined;
  const art = call(calls, 'trainModel')?.result as Record<string, unknown> | undefined;
  return {
    dataSource: input.spec.data.source,
    ...(snap ? { snapshotId: str(snap.snapshotId), trainRows: Number(snap.trainRows), testRows: Number(snap.testRows) } : {}),
    ...(art ? {
      codeVersion: str(art.codeVersion), trainer: str(art.trainer), algorithm: str(art.algorithm), params: art.params as Record<string, unknown>,
      seed: Number(art.seed), artifactId: str(art.artifactId),
    } : { codeVersion: input.codeVersion }),
  };
}

function offline(input: ReleaseInput, calls: ActivityCall[]): AuditRecord['offline'] {
  const ev = call(calls, 'evaluateCandidate')?.result as Evaluation | undefined;
  if (!ev) return undefined;
  const verdict = judgeOffline(ev, input.spec.offline);
  return { championArtifactId: ev.champion?.artifactId ?? null, evidence: offlineEvidence(ev), pass: verdict.pass, reasons: verdict.reasons };
}

function promotion(calls: ActivityCall[], champion: string | null): AuditRecord['promotion'] {
  const p = call(calls, 'promoteRelease');
  if (!p?.result) return undefined;
  const watch = calls.filter((c) => c.activityType === 'watchRollout').pop();
  return {
    at: p.closedAt ?? p.scheduledAt,
    artifactId: String(at(p.input, 'artifactId')),
    previousChampion: champion,
    aliases: at(p.result, 'aliases'),
    routing: at(p.result, 'routing'),
    ...(watch?.result ? { watch: { verdict: String(at(watch.result, 'verdict')), reason: String(at(watch.result, 'reason')), evidence: at(watch.result, 'evidence') } } : {}),
  };
}

type Cause = NonNullable<AuditRecord['rollback']>['cause'];

function rollbackCause(reason: string, body: Pick<AuditBody, 'rollout' | 'gates'>): { cause: Cause; evidence: unknown } {
  const promote = body.gates.find((g) => g.gate === 'promote');
  if (reason === 'release cancelled') return { cause: 'cancellation', evidence: { reason } };
  if (reason.startsWith('release failed')) return { cause: 'failure', evidence: { error: reason } };
  if (reason.startsWith('post-promotion watch')) return { cause: 'post_promotion_watch', evidence: null };
  if (body.rollout && body.rollout.reason === reason) return { cause: 'rollout_analysis', evidence: body.rollout.steps.find((s) => s.verdict !== 'pass') ?? body.rollout.steps.at(-1) ?? null };
  if (promote && (promote.status === 'rejected' || promote.status === 'timed_out')) return { cause: 'gate', evidence: { gate: 'promote', status: promote.status, closedReason: promote.closedReason, decisions: promote.decisions } };
  return { cause: 'conflict', evidence: { reason } };
}

function rollback(calls: ActivityCall[], body: Pick<AuditBody, 'rollout' | 'gates' | 'promotion'>): AuditRecord['rollback'] {
  const r = call(calls, 'rollbackRelease');
  if (!r) return undefined;
  const reason = String(at(r.input, 'reason'));
  const { cause, evidence } = rollbackCause(reason, body);
  const watchEvidence = cause === 'post_promotion_watch' ? body.promotion?.watch : undefined;
  return {
    at: r.closedAt ?? r.scheduledAt, cause, by: String(at(r.input, 'actor') ?? 'mlgate'), reason, evidence: watchEvidence ?? evidence,
    from: str(at(r.input, 'artifactId')) ?? null, to: str(at(r.input, 'routing', 'stable', 'version')) ?? null,
    restoredRouting: at(r.result, 'routing') ?? at(r.input, 'routing'), aliases: at(r.result, 'aliases') ?? null,
  };
}

export function auditRelease(opts: ReleaseAuditInput): AuditBody {
  const events = opts.runs.flatMap((r) => r.events);
  const started = events[0];
  const input = releaseInput(started);
  const calls = activityCalls(events);
  const policy = resolvePolicy(input.spec);
  const champion = (at(call(calls, 'getAliases')?.result, 'champion') as string | null | undefined) ?? null;
  const refused: AuditBody['refusedAttempts'] = opts.refusedAttempts.map((r) => ({ ...r, source: 'log' as const }));
  const gates = auditGates({ events, calls, policy, requester: input.requester, owner: input.spec.owner, runId: opts.runs.at(-1)!.runId }, refused);
  const child = opts.children.find((c) => c.workflowType === 'rolloutWorkflow');
  const rollout = child ? auditRollout(child) : auditRolloutInRelease({ workflowId: opts.runs[0].workflowId, events });
  const promoted = promotion(calls, champion);
  const rolledBack = rollback(calls, { rollout, gates, promotion: promoted });
  return {
    schemaVersion: 1, kind: 'release', releaseId: opts.runs[0].workflowId, model: input.spec.id,
    trigger: {
      requester: input.requester, reason: input.reason, reasonDetail: input.reasonDetail, at: started.time,
      ...(str(started.attrs.identity) ? { identity: str(started.attrs.identity) } : {}),
    },
    spec: { riskClass: input.spec.riskClass, owner: input.spec.owner, hash: opts.hash(canonicalJson(input.spec)), policyHash: opts.hash(canonicalJson(policy)), policy, document: input.spec },
    lineage: lineage(input, calls), offline: offline(input, calls), gates,
    refusedAttempts: refused.sort((a, b) => a.at.localeCompare(b.at)),
    ...(rollout ? { rollout } : {}), ...(promoted ? { promotion: promoted } : {}),
    ...(rolledBack ? { rollback: rolledBack } : {}),
    final: finalState(events),
  };
}
