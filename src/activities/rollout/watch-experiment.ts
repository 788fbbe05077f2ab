/**
 * `watchExperiment`: the one heartbeating activity that watches an A/B experiment. It reads the
 * feedback tallies of both arms (only feedback on predictions made since the experiment began),
 * looks at the KPI difference's confidence sequence at every poll, and returns the moment it calls a
 * winner or a loser, or shows no effect of interest, or when `maxDuration` is over (inconclusive).
 * The CS is anytime-valid, so polling as often as we like costs no error rate (see
 * `domain/analysis/ab-test`). A tally that cannot be read is skipped, not judged: the next poll
 * tries again, and the deadline still bounds the watch.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { describeKpi, experimentVerdict, lookAtExperiment, type ExperimentLook } from '../../domain/analysis/experiment';
import type { ExperimentEvidence, ExperimentPoint } from '../../domain/approval/views';
import { ErrorType, formatIssues } from '../../domain/errors';
import { AbStrategySchema } from '../../domain/spec';
import type { MonitorGateway } from '../../ports/monitor-gateway';
import { pushSample } from './watch-rollout';

export const WatchExperimentInputSchema = z.object({
  model: z.string().min(1),
  candidateVersion: z.string().min(1),
  controlVersion: z.string().min(1),
  strategy: AbStrategySchema,
  maxDurationMs: z.number().int().positive(),
  pollMs: z.number().int().positive(),
});
export type WatchExperimentInput = z.input<typeof WatchExperimentInputSchema>;

export interface WatchExperimentResult {
  experiment: ExperimentEvidence;
  elapsedMs: number;
  /** Polls whose tallies could not be read. */
  readErrors: number;
}

type Parsed = z.output<typeof WatchExperimentInputSchema>;

function point(elapsedMs: number, look: ExperimentLook): ExperimentPoint {
  const { estimate, lower, upper } = look.cs;
  return { t: Math.round(elapsedMs / 100) / 10, estimate, lower, upper, candidateN: look.candidateN, controlN: look.controlN };
}

async function look(gateway: MonitorGateway, input: Parsed, since: number): Promise<ExperimentLook | Error> {
  try {
    const tallies = await gateway.tallies(input.model, { since });
    const of = (v: string) => tallies.find((t) => t.version === v);
    return lookAtExperiment({ candidate: of(input.candidateVersion), control: of(input.controlVersion), strategy: input.strategy });
  } catch (e) {
    return e as Error;
  }
}

function evidence(input: Parsed, verdict: ExperimentEvidence['verdict'], reason: string, points: ExperimentPoint[]): ExperimentEvidence {
  const s = input.strategy;
  return { kpi: describeKpi(s.kpi), verdict, reason, minEffect: s.minEffect, alpha: s.alpha, candidateShare: s.candidateShare, points };
}

export function createWatchExperiment(deps: { gateway: MonitorGateway; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return async function watchExperiment(raw: WatchExperimentInput): Promise<WatchExperimentResult> {
    const parsed = WatchExperimentInputSchema.safeParse(raw);
    if (!parsed.success) throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: `watchExperiment input: ${formatIssues(parsed.error.issues).join('; ')}` });
    const input = parsed.data;
    const ctx = Context.current();
    // A retried attempt resumes the same experiment: same start, so the same feedback counts.
    const resumed = (ctx.info.heartbeatDetails as { startedAt?: unknown } | undefined)?.startedAt;
    const started = typeof resumed === 'number' ? resumed : now();
    const points: ExperimentPoint[] = [];
    let readErrors = 0;
    let lastError = '';
    for (;;) {
      const elapsedMs = now() - started;
      const timedOut = elapsedMs >= input.maxDurationMs;
      const l = await look(deps.gateway, input, started);
      if (l instanceof Error) {
        readErrors++;
        lastError = l.message;
      } else {
        pushSample(points, point(elapsedMs, l));
      }
      ctx.heartbeat({ startedAt: started, elapsedMs, readErrors, call: l instanceof Error ? 'unread' : l.call });
      const verdict = l instanceof Error ? (timedOut ? 'inconclusive' : null) : experimentVerdict(l, timedOut);
      if (verdict) {
        const reason = l instanceof Error ? `feedback tallies unreadable at the deadline: ${lastError}` : l.call === 'running' ? `undecided after ${Math.round(elapsedMs / 1000)}s: ${l.reason}` : l.reason;
        return { experiment: evidence(input, verdict, reason, points), elapsedMs, readErrors };
      }
      await ctx.sleep(input.pollMs);
    }
  };
}

export type WatchExperiment = ReturnType<typeof createWatchExperiment>;
