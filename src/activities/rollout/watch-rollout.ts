/**
 * The one long-running activity that watches a rollout step: it polls the metrics source, runs the
 * pure analysis over the window since the step began, heartbeats its progress, and returns as soon
 * as the verdict is `fail` (fast rollback) or when the bake ends. History stays small: one activity
 * per step, with a compact result. An unreachable metrics source is `error`, not `inconclusive`: the
 * watch backs off (`slo.metricsErrorInterval`) and returns `error` only once more than
 * `slo.consecutiveErrorLimit` measurements in a row failed; a good measurement resets the count.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ErrorType, formatIssues } from '../../domain/errors';
import { z } from 'zod';
import { analyzeRollout } from '../../domain/analysis/analyze-rollout';
import { errorLimitPassed, metricsErrorAnalysis, metricsErrorReason, nextErrorStreak, noErrors, type ErrorStreak } from '../../domain/analysis/metrics-error';
import { durationMs } from '../../domain/duration';
import type { AnalysisResult, Verdict } from '../../domain/analysis/verdict';
import type { VersionSummary } from '../../domain/analysis/window-summary';
import { RolloutModeSchema } from '../../domain/routing';
import { EarlyPassSchema, SloSpecSchema } from '../../domain/spec';
import { DEFAULT_WATCHES } from '../../domain/analysis/alpha-budget';
import { errorRateNonInferiority, nonInferiorityShown } from '../../domain/analysis/non-inferiority';
import type { MetricsSource } from '../../ports/metrics-source';
import { emptyTrace, recordPoll, type EvidenceTrace } from '../../domain/analysis/evidence-trace';
import { FAST_POLL_MS, nextPollMs } from '../../domain/analysis/poll-pace';

export const WatchRolloutInputSchema = z.object({
  model: z.string().min(1),
  candidateVersion: z.string().min(1),
  /** The baseline to compare with; null = absolute limits only (a 100% step, or after promotion). */
  stableVersion: z.string().min(1).nullable(),
  mode: RolloutModeSchema,
  slo: SloSpecSchema,
  /** How long the step bakes before a pass is final. */
  bakeMs: z.number().int().positive(),
  /** @default 250 */
  pollMs: z.number().int().positive().default(250),
  /** The pause while some check leans to failing (`domain/analysis/poll-pace`). @default 50 */
  fastPollMs: z.number().int().positive().default(FAST_POLL_MS),
  /** Give up with `inconclusive` when the verdict is still inconclusive this long after the step began. */
  inconclusiveAfterMs: z.number().int().positive(),
  /**
   * Watches in the whole rollout that share `slo.alpha` (canary steps plus the post-promotion
   * watch, see `watchesInRollout`); this watch spends `slo.alpha / watches`. @default DEFAULT_WATCHES (5)
   */
  watches: z.number().int().positive().optional(),
  /** End the bake early once the candidate is shown non-inferior (canary steps with a baseline only). */
  earlyPass: EarlyPassSchema.optional(),
});
export type WatchRolloutInput = z.input<typeof WatchRolloutInputSchema>;

/** One chart point; rates are shares, latencies ms. */
export interface RolloutSample {
  t: number;
  candidateP99: number | null;
  baselineP99: number | null;
  candidateErrorRate: number | null;
  baselineErrorRate: number | null;
  candidateRequests: number;
  baselineRequests: number;
}

export interface WatchRolloutResult {
  verdict: Verdict;
  reason: string;
  evidence: AnalysisResult;
  samples: RolloutSample[];
  elapsedMs: number;
  /** Measurements that failed because the metrics source could not be read, over the whole watch. */
  metricsErrors: number;
  /** What each judged poll saw, compactly, for what-if replays (absent in watches recorded before it existed). */
  trace?: EvidenceTrace;
}

/** Chart points kept per step; older points are thinned so the result stays small in workflow history. */
const MAX_SAMPLES = 24;

/** Appends a chart point, thinning older ones past `max` (the A/B experiment's curve uses it too). */
export function pushSample<T>(samples: T[], s: T, max = MAX_SAMPLES): void {
  samples.push(s);
  if (samples.length > max) {
    // Drop every other point except the newest, halving density but keeping the whole time span.
    const kept = samples.filter((_, i) => i % 2 === 0 || i === samples.length - 1);
    samples.splice(0, samples.length, ...kept);
  }
}

function sampleOf(t: number, c: VersionSummary | undefined, b: VersionSummary | undefined): RolloutSample {
  return {
    t,
    candidateP99: c ? c.latencyMs.p99 : null,
    baselineP99: b ? b.latencyMs.p99 : null,
    candidateErrorRate: c ? c.errors / c.requests : null,
    baselineErrorRate: b ? b.errors / b.requests : null,
    candidateRequests: c?.requests ?? 0,
    baselineRequests: b?.requests ?? 0,
  };
}

type Parsed = z.output<typeof WatchRolloutInputSchema>;

/**
 * Why the step may pass before its bake is over, or null: every check passes AND the candidate's
 * error rate is shown at most the baseline's plus the margin (`domain/analysis/non-inferiority`).
 * `earlyPass.alpha` is split over the rollout's watches like `slo.alpha`.
 */
function earlyPassReason(input: Parsed, analysis: AnalysisResult, c: VersionSummary | undefined, b: VersionSummary | undefined): string | null {
  const ep = input.earlyPass;
  if (!ep || analysis.verdict !== 'pass' || !c || !b || c.requests < ep.minSamples || b.requests < ep.minSamples) return null;
  const ni = { candidate: c, baseline: b, margin: ep.errorRateMargin, alpha: ep.alpha / (input.watches ?? DEFAULT_WATCHES) };
  if (!nonInferiorityShown(ni)) return null;
  const upper = errorRateNonInferiority(ni).upperDifference;
  return `passed early: every check passes and the candidate's error rate is shown at most the baseline's + ${ep.errorRateMargin} (upper bound on the difference ${upper.toFixed(4)}, ${c.requests}/${b.requests} requests)`;
}

async function evaluate(metrics: MetricsSource, input: Parsed, elapsedMs: number, trace: EvidenceTrace): Promise<{ analysis: AnalysisResult; sample: RolloutSample | null; early?: string | null }> {
  // The window is the whole step so far: the e-processes need cumulative counts since the step began.
  const res = await metrics.window(input.model, { windowMs: Math.max(elapsedMs, input.pollMs) });
  if (res.status === 'unavailable') return { analysis: metricsErrorAnalysis(res.reason), sample: null };
  const c = res.summary.versions.find((v) => v.version === input.candidateVersion);
  const b = input.stableVersion ? res.summary.versions.find((v) => v.version === input.stableVersion) : undefined;
  // Every check is anytime-valid, so all of them, score distribution included, are judged at every poll.
  const analysis = analyzeRollout({ candidate: c, baseline: b, slo: input.slo, mode: input.mode, compareWithBaseline: input.stableVersion !== null, watches: input.watches });
  recordPoll(trace, elapsedMs, c, b);
  return { analysis, sample: sampleOf(elapsedMs, c, b), early: earlyPassReason(input, analysis, c, b) };
}

/**
 * When to stop: at once on fail; on pass once the bake is over; on inconclusive once
 * inconclusiveAfterMs is over; on error only once the errors in a row pass the limit. The limit,
 * not the inconclusive deadline, bounds an outage: a gateway restart that lands on a poll just
 * after the deadline must be measured again, not judged as an outage (limit x back-off bounds it).
 */
function finished(verdict: Verdict, elapsedMs: number, input: Parsed, streak: ErrorStreak, early: boolean): boolean {
  if (verdict === 'fail') return true;
  if (verdict === 'error') return errorLimitPassed(streak, input.slo.consecutiveErrorLimit);
  if (verdict === 'pass') return early || elapsedMs >= input.bakeMs;
  // Past the bake, an inconclusive verdict keeps watching (traffic may still arrive) until inconclusiveAfterMs.
  return elapsedMs >= input.inconclusiveAfterMs;
}

export async function watchRolloutWith(deps: { metricsSource: MetricsSource; now: () => number }, raw: WatchRolloutInput): Promise<WatchRolloutResult> {
  const parsed = WatchRolloutInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `watchRollout input: ${formatIssues(parsed.error.issues).join('; ')}` });
  }
  const input = parsed.data;
  const ctx = Context.current();
  // A retried attempt (worker died mid-bake) resumes the same step window instead of restarting the bake.
  const resumed = (ctx.info.heartbeatDetails as { startedAt?: unknown } | undefined)?.startedAt;
  const started = typeof resumed === 'number' ? resumed : deps.now();
  const samples: RolloutSample[] = [];
  const trace = emptyTrace();
  let streak = noErrors();
  for (let polls = 1; ; polls++) {
    const elapsedMs = deps.now() - started;
    const { analysis, sample, early } = await evaluate(deps.metricsSource, input, elapsedMs, trace);
    if (sample) pushSample(samples, sample);
    streak = nextErrorStreak(streak, analysis.verdict);
    const candidateRequests = sample?.candidateRequests ?? 0;
    ctx.heartbeat({ startedAt: started, elapsedMs, polls, verdict: analysis.verdict, candidateRequests, consecutiveErrors: streak.consecutive, metricsErrors: streak.total });
    if (finished(analysis.verdict, elapsedMs, input, streak, !!early)) {
      const passed = early && elapsedMs < input.bakeMs ? `${early} after ${Math.round(elapsedMs / 1000)}s` : `all ${analysis.checks.length} checks passed over ${Math.round(elapsedMs / 1000)}s`;
      const reason = analysis.verdict === 'error' ? metricsErrorReason(analysis, streak, input.slo.consecutiveErrorLimit) : (analysis.reasons[0] ?? passed);
      return { verdict: analysis.verdict, reason, evidence: analysis, samples, elapsedMs, metricsErrors: streak.total, trace };
    }
    // Context.sleep rejects with CancelledFailure when the workflow cancels the activity.
    await ctx.sleep(analysis.verdict === 'error' ? durationMs(input.slo.metricsErrorInterval) : nextPollMs(analysis, input, deps.now() - started));
  }
}
