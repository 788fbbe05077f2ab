/**
 * What-if replays: a past rollout judged again, poll by poll, under another policy (other SLO
 * thresholds, another alpha). A pure function over the recorded evidence (`./evidence-trace`):
 * no server, no clock.
 *
 * What it can and cannot say: it sees only the polls the watches recorded. Where the other policy
 * fails a step earlier, or fails a step the release passed, the answer is exact at the recorded
 * polls. Where the release stopped (rolled back) but the other policy would have gone on, nothing
 * after the stop was ever measured, and the answer says so instead of guessing.
 */
import { z } from 'zod';
import { SloSpecSchema, type SloSpec } from '../spec';
import type { RolloutMode } from '../routing';
import { analyzeRollout } from './analyze-rollout';
import { unpackSummary, type EvidenceTrace } from './evidence-trace';
import type { Verdict } from './verdict';

/** Each SLO field, optional and WITHOUT its default: a field the policy leaves out keeps the recorded value. */
const SloOverrideSchema = z
  .object(Object.fromEntries(Object.entries(SloSpecSchema.shape).map(([k, s]) => [k, (s instanceof z.ZodDefault ? s.unwrap() : s).optional()])))
  .strict() as unknown as z.ZodType<Partial<SloSpec>>;

/** A policy file: any SLO field to change; everything else stays as the release recorded it. */
export const WhatIfPolicySchema = z.object({ slo: SloOverrideSchema.describe('the SLO fields to change, e.g. { alpha: 0.05, maxP99LatencyMs: 100 }') }).strict();
export interface WhatIfPolicy {
  slo: Partial<SloSpec>;
}

/** One watch as the history recorded it: its input (what it judged against) and its result. */
export interface RecordedWatch {
  /** `50% step`, `shadow`, `post-promotion watch`. */
  label: string;
  candidateVersion: string;
  stableVersion: string | null;
  mode: RolloutMode;
  slo: SloSpec;
  watches?: number;
  verdict: Verdict;
  reason: string;
  /** Absent for watches recorded before traces existed. */
  trace?: EvidenceTrace;
}

export interface WatchReplay {
  label: string;
  recorded: Verdict;
  /** The verdict under the policy at the last recorded poll, or the first fail. */
  replayed: Verdict;
  /** Milliseconds into the step of the first failing poll. */
  failAtMs?: number;
  failingChecks: string[];
  reason: string;
  polls: number;
}

export const WhatIfDecision = { rolledBack: 'rolled_back', passed: 'passed', unknown: 'unknown', noEvidence: 'no_evidence' } as const;
export type WhatIfDecision = (typeof WhatIfDecision)[keyof typeof WhatIfDecision];

export interface WhatIfResult {
  recordedDecision: 'rolled_back' | 'passed';
  decision: WhatIfDecision;
  changed: boolean;
  summary: string;
  watches: WatchReplay[];
}

function replayWatch(w: RecordedWatch & { trace: EvidenceTrace }, slo: SloSpec): WatchReplay {
  let last: WatchReplay = { label: w.label, recorded: w.verdict, replayed: 'inconclusive', failingChecks: [], reason: 'no recorded poll', polls: w.trace.points.length };
  for (const p of w.trace.points) {
    const analysis = analyzeRollout({
      candidate: p.c ? unpackSummary(p.c, w.candidateVersion) : undefined,
      baseline: p.b && w.stableVersion ? unpackSummary(p.b, w.stableVersion) : undefined,
      slo,
      mode: w.mode,
      compareWithBaseline: w.stableVersion !== null,
      ...(w.watches ? { watches: w.watches } : {}),
    });
    const failing = analysis.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
    last = { ...last, replayed: analysis.verdict, failingChecks: failing, reason: analysis.reasons[0] ?? `all ${analysis.checks.length} checks passed` };
    if (analysis.verdict === 'fail') return { ...last, failAtMs: p.t };
  }
  return last;
}

const recordedDecisionOf = (watches: RecordedWatch[]) => (watches.some((w) => w.verdict === 'fail') ? 'rolled_back' : 'passed');

/** Replays the watches in order under `policy` and says what the rollout would have decided. */
export function whatIf(watches: RecordedWatch[], policy: WhatIfPolicy): WhatIfResult {
  const recordedDecision = recordedDecisionOf(watches);
  if (watches.length === 0 || watches.some((w) => !w.trace)) {
    const summary = watches.length === 0 ? 'no rollout watch was recorded (the release never reached its rollout)' : 'recorded before per-poll evidence was kept: no what-if replay is possible for this release';
    return { recordedDecision, decision: 'no_evidence', changed: false, summary, watches: [] };
  }
  const out: WatchReplay[] = [];
  for (const w of watches) {
    const slo = SloSpecSchema.parse({ ...w.slo, ...policy.slo });
    const r = replayWatch(w as RecordedWatch & { trace: EvidenceTrace }, slo);
    out.push(r);
    if (r.replayed === 'fail') {
      const at = `${w.label}, ${((r.failAtMs ?? 0) / 1000).toFixed(1)} s in`;
      const summary = `would have rolled back at the ${at}, on ${r.failingChecks.join(', ')}: ${r.reason}`;
      return { recordedDecision, decision: 'rolled_back', changed: recordedDecision !== 'rolled_back' || w.verdict !== 'fail', summary, watches: out };
    }
    if (r.replayed !== 'pass' && w.verdict === 'pass') {
      // The recorded watch ended at its bake; under the policy it would have kept waiting for evidence, unmeasured.
      const summary = `would still have been ${r.replayed} at the end of the ${w.label} (${r.reason}); the recorded watch stopped there, so what came after is unknown`;
      return { recordedDecision, decision: 'unknown', changed: true, summary, watches: out };
    }
    if (w.verdict === 'fail') {
      // The release stopped here; the policy would have gone on, but nothing after this poll was measured.
      const summary = `would NOT have failed the ${w.label} at any recorded poll (recorded: ${w.reason}); the release stopped there, so what came after is unknown`;
      return { recordedDecision, decision: 'unknown', changed: true, summary, watches: out };
    }
  }
  return { recordedDecision, decision: 'passed', changed: recordedDecision !== 'passed', summary: `would have passed every watch (${out.map((w) => w.label).join(', ')})`, watches: out };
}
