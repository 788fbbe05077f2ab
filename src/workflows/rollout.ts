/**
 * The rollout: canary steps (each held for its bake) or a shadow bake, each watched by ONE
 * heartbeating activity that returns the moment the analysis says `fail`. It only moves traffic
 * forward and reports; the release owns gates and rollback. Releases recorded with the
 * 'rollout-in-release' patch run it inside the release workflow (`runRollout`); older ones ran it as
 * the child workflow `rolloutWorkflow`, which workers keep registered so those replay and finish.
 */
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Verdict } from '../domain/analysis/verdict';
import type { CanaryStep, ExperimentEvidence } from '../domain/approval/views';
import { durationMs } from '../domain/duration';
import { watchesInRollout } from '../domain/analysis/alpha-budget';
import { canaryStep, rolloutStepReason } from '../domain/release-evidence';
import type { RoutingInput } from '../domain/routing';
import type { SloSpec, Strategy } from '../domain/spec';
import { abRollout } from './ab-rollout';

export interface RolloutInput {
  model: string;
  releaseId: string;
  candidate: string;
  /** What serves now; null on a model's first release (no baseline: absolute limits only). */
  stable: string | null;
  strategy: Strategy;
  slo: SloSpec;
  /** @default 250 */
  pollMs?: number;
}

export interface RolloutResult {
  verdict: Verdict;
  reason: string;
  steps: CanaryStep[];
  /** The failing (or last) analysis, kept for the rollback record and the audit. */
  evidence: unknown;
  /** A/B rollouts: the KPI experiment with its curve, for the promote gate. */
  experiment?: ExperimentEvidence;
}

const { setRouting } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 5, initialInterval: '200ms' } });

function watcher(bakeMs: number, slo: SloSpec) {
  // Heartbeat timeout: a dead worker is noticed in seconds and the watch restarts on another.
  return proxyActivities<Activities>({
    startToCloseTimeout: bakeMs + durationMs(slo.inconclusiveAfter) + 60_000,
    heartbeatTimeout: '10s',
    retry: { maximumAttempts: 3, initialInterval: '1s' },
  }).watchRollout;
}

function routingFor(input: RolloutInput, percent: number): RoutingInput {
  const s = input.strategy;
  const updatedBy = input.releaseId;
  if (input.stable === null || percent >= 100) return { stable: { version: input.candidate }, updatedBy };
  if (s.kind === 'shadow') return { stable: { version: input.stable }, candidate: { version: input.candidate, mode: 'shadow', weight: 0, sampleRate: s.sampleRate }, updatedBy };
  const sticky = s.kind === 'canary' && s.stickyHeader ? { stickyHeader: s.stickyHeader } : {};
  return { stable: { version: input.stable }, candidate: { version: input.candidate, mode: 'canary', weight: percent }, ...sticky, updatedBy };
}

/** The rollout child of releases recorded before the 'rollout-in-release' patch. */
export async function rolloutWorkflow(input: RolloutInput): Promise<RolloutResult> {
  return runRollout(input);
}

/**
 * Runs the rollout in the calling workflow (the release, or the legacy child). `onStep` sees each
 * step as its watch ends, so a release's status shows the steps while the rollout runs.
 */
export async function runRollout(input: RolloutInput, onStep?: (steps: CanaryStep[]) => void): Promise<RolloutResult> {
  const s = input.strategy;
  // A first release has no control arm to experiment against: it runs as a single 100% step.
  if (s.kind === 'ab' && input.stable !== null && patched('ab-experiment')) {
    const r = await abRollout({ ...input, stable: input.stable }, s);
    return { ...r, evidence: { workflowId: workflowInfo().workflowId, ...(r.evidence as object) } };
  }
  const plan = s.kind === 'shadow' ? [0] : input.stable === null || s.kind === 'ab' ? [100] : s.steps;
  const bakeMs = durationMs(s.kind === 'canary' ? s.stepBake : s.kind === 'shadow' ? s.bake : s.postPromotionWatch);
  const steps: CanaryStep[] = [];
  let offsetSeconds = 0;
  let last: { verdict: Verdict; reason: string; evidence: unknown } = { verdict: 'inconclusive', reason: 'no step ran', evidence: null };
  for (const percent of plan) {
    await setRouting({ model: input.model, routing: routingFor(input, percent) });
    const baseline = input.stable !== null && percent < 100 ? input.stable : null;
    const watch = await watcher(bakeMs, input.slo)({
      model: input.model,
      candidateVersion: input.candidate,
      stableVersion: baseline,
      mode: s.kind === 'shadow' ? 'shadow' : 'canary',
      slo: input.slo,
      bakeMs,
      pollMs: input.pollMs ?? 250,
      inconclusiveAfterMs: Math.max(bakeMs, durationMs(input.slo.inconclusiveAfter)),
      watches: watchesInRollout(s),
      // Only specs that ask for it carry the field, so every recorded activity input stays as it was.
      ...(s.kind === 'canary' && s.earlyPass && baseline !== null ? { earlyPass: s.earlyPass } : {}),
    });
    steps.push(canaryStep(s.kind === 'shadow' ? 0 : percent, watch.verdict, watch.samples, offsetSeconds));
    offsetSeconds += watch.elapsedMs / 1000;
    onStep?.(steps);
    last = { verdict: watch.verdict, reason: rolloutStepReason({ percent, mode: s.kind === 'shadow' ? 'shadow' : 'canary' }, watch.reason), evidence: watch.evidence };
    if (watch.verdict !== 'pass') break;
  }
  return { ...last, steps, evidence: { workflowId: workflowInfo().workflowId, analysis: last.evidence } };
}
