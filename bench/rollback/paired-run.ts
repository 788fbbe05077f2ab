/**
 * Detection time of two analyses on the SAME traffic, in the same process: today's anytime-valid
 * analysis (`analyzeRollout`, as the watch runs it) and the pre-#15 fixed-sample analysis
 * (`./legacy-analysis`). The bench sets a 50% canary on the gateway itself (no release, so no
 * rollback cuts the faulty traffic short for the slower of the two), polls the window since the
 * step began every 250 ms after the previous poll's work (as the watch does), judges each poll
 * with both analyses, injects the fault after a healthy second, and takes for each analysis the
 * time from the fault to the first poll it fails. Same windows, same poll instants: the difference
 * is the statistics alone. Times end when the analysis returned, so they lack the activity
 * completion and workflow task that a real release's detection time includes.
 *
 * `anytime-paced` is the anytime analysis at the watch's adaptive pace (250 ms, 50 ms while a check
 * leans to failing); `anytime` keeps the fixed 250 ms grid the watch had before, so the pair shows
 * what the pace alone buys on the same traffic.
 *
 * `extraPollMs` adds the anytime analysis at other poll intervals (what polling faster, which an
 * anytime-valid check allows without more false alarms, would buy). The loop then polls at the
 * shortest interval and each analysis judges the first poll at or after each multiple of its own
 * interval since the step began (a ticker), so the two 250 ms analyses still judge the same polls. A
 * poll counts as on time up to half the shortest interval early: timers may fire a millisecond early,
 * and a strict grid then skipped a poll now and then, which delayed an analysis by a whole poll.
 */
import type { Fault } from '../../src/gateway/faults';
import { analyzeRollout } from '../../src/domain/analysis/analyze-rollout';
import { watchesInRollout } from '../../src/domain/analysis/alpha-budget';
import type { VersionSummary } from '../../src/domain/analysis/window-summary';
import type { AnalysisResult } from '../../src/domain/analysis/verdict';
import { FAST_POLL_MS, nextPollMs } from '../../src/domain/analysis/poll-pace';
import type { SloSpec } from '../../src/domain/spec';
import type { BenchStack } from '../shared/stack';
import { legacyCanaryVerdict } from './legacy-analysis';
import { faultRunStrategy } from './fault-run';
import { benchSpec } from './spec';

/** The failing checks' names (null when it does not fail) and, for the anytime analysis, the whole result. */
export type Analyzer = (c: VersionSummary | undefined, b: VersionSummary | undefined, slo: SloSpec) => { failed: string | null; analysis?: AnalysisResult };

const WATCHES = watchesInRollout(benchSpec('x', { strategy: faultRunStrategy() }).strategy);

const anytime: Analyzer = (c, b, slo) => {
  const a = analyzeRollout({ candidate: c, baseline: b, slo, mode: 'canary', compareWithBaseline: true, watches: WATCHES });
  return { failed: a.verdict === 'fail' ? a.checks.filter((x) => x.verdict === 'fail').map((x) => x.name).join('+') : null, analysis: a };
};
const fixedSample: Analyzer = (c, b, slo) => {
  const v = legacyCanaryVerdict(c, b, slo);
  return { failed: v.verdict === 'fail' ? (v.check ?? 'fail') : null };
};

/** The watch's poll interval, which the pre-#15 analysis also ran at. */
export const WATCH_POLL_MS = 250;

export interface TimedAnalyzer {
  name: string;
  pollMs: number;
  judge: Analyzer;
  /** Paced like the watch (`domain/analysis/poll-pace`): the next poll is due `nextPollMs` after this one, not on a grid. */
  fastPollMs?: number;
}

/**
 * `anytime` and `fixedSample` on a fixed 250 ms grid (the watch before the adaptive pace, and the
 * pre-#15 analysis), `anytime-paced` as the watch runs today (250 ms, 50 ms while a check leans to
 * failing), plus `anytime@<ms>ms` on a fixed grid for each extra poll interval.
 */
export function pairedAnalyzers(extraPollMs: readonly number[] = []): TimedAnalyzer[] {
  return [
    { name: 'anytime', pollMs: WATCH_POLL_MS, judge: anytime },
    { name: 'fixedSample', pollMs: WATCH_POLL_MS, judge: fixedSample },
    { name: 'anytime-paced', pollMs: WATCH_POLL_MS, judge: anytime, fastPollMs: FAST_POLL_MS },
    ...extraPollMs.map((pollMs) => ({ name: `anytime@${pollMs}ms`, pollMs, judge: anytime })),
  ];
}

/** When the analyzer judges next, in ms since the step began. */
function nextDueAfter(a: TimedAnalyzer, elapsed: number, slack: number, analysis: AnalysisResult | undefined): number {
  const grid = (Math.floor((elapsed + slack) / a.pollMs) + 1) * a.pollMs;
  // The watch's pace: the slow polls keep the same grid as `anytime`, so the pair differs only in the fast polls.
  if (a.fastPollMs !== undefined && analysis) return Math.min(grid, elapsed + nextPollMs(analysis, { pollMs: a.pollMs, fastPollMs: a.fastPollMs }, elapsed));
  return grid;
}

export interface PairedRunInput {
  model: string;
  champion: string;
  candidate: string;
  fault: Partial<Pick<Fault, 'latencyMs' | 'errorRate'>>;
  /** @default 1000, as in the fault runs */
  healthyMs?: number;
  /** Stop waiting for the slower analysis this long after the fault. @default 15000 */
  giveUpMs?: number;
  /** @default pairedAnalyzers() */
  analyzers?: TimedAnalyzer[];
}

export interface PairedDetection {
  /** Fault -> first failing poll, or null when it did not fail within giveUpMs. */
  detectionMs: number | null;
  check: string | null;
  /** It failed on a poll before the fault landed (a false alarm on healthy traffic). */
  failedBeforeFault: boolean;
  candidateRequestsAtDetection: number | null;
}

export interface PairedRunResult {
  detections: Record<string, PairedDetection>;
  polls: number;
}

const empty = (): PairedDetection => ({ detectionMs: null, check: null, failedBeforeFault: false, candidateRequestsAtDetection: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measurePairedRun(stack: BenchStack, input: PairedRunInput, slo: SloSpec): Promise<PairedRunResult> {
  const { model, champion, candidate } = input;
  const analyzers = input.analyzers ?? pairedAnalyzers();
  const pollMs = Math.min(...analyzers.map((a) => Math.min(a.pollMs, a.fastPollMs ?? a.pollMs)));
  await stack.admin.setRouting(model, { stable: { version: champion }, candidate: { version: candidate, mode: 'canary', weight: 50 } });
  const started = Date.now();
  let faultAt = Infinity;
  const injected = sleep(input.healthyMs ?? 1000).then(async () => {
    faultAt = Date.now();
    await stack.admin.injectFault({ model, version: candidate, ...input.fault });
  });
  const out: PairedRunResult = { detections: Object.fromEntries(analyzers.map((a) => [a.name, empty()])), polls: 0 };
  const nextDue = new Map<string, number>();
  const done = () => analyzers.every((a) => out.detections[a.name].detectionMs !== null);
  while (!done() && Date.now() - faultAt < (input.giveUpMs ?? 15_000)) {
    const polledAt = Date.now();
    const elapsed = polledAt - started;
    const w = await stack.admin.window(model, { windowMs: Math.max(elapsed, pollMs) });
    out.polls++;
    if (w.status === 'ok') {
      const c = w.summary.versions.find((v) => v.version === candidate);
      const b = w.summary.versions.find((v) => v.version === champion);
      const slack = pollMs / 2;
      for (const a of analyzers) {
        if (elapsed < (nextDue.get(a.name) ?? 0) - slack) continue;
        const judged = a.judge(c, b, slo);
        nextDue.set(a.name, nextDueAfter(a, elapsed, slack, judged.analysis));
        judgeInto(out.detections[a.name], judged.failed, polledAt < faultAt, faultAt, c);
      }
    }
    await sleep(pollMs);
  }
  await injected;
  await stack.admin.setRouting(model, { stable: { version: champion } });
  await stack.admin.clearFaults(model);
  // Windows are 1-second buckets: let the faulty requests age out of the next run's first window.
  await sleep(2500);
  return out;
}

function judgeInto(d: PairedDetection, failed: string | null, beforeFault: boolean, faultAt: number, c: VersionSummary | undefined): void {
  if (!failed || d.detectionMs !== null) return;
  // A fail on a window read before the fault is a false alarm; it is noted, and the analysis keeps being timed for the fault.
  if (beforeFault) {
    d.failedBeforeFault = true;
    return;
  }
  d.detectionMs = Date.now() - faultAt;
  d.check = failed;
  d.candidateRequestsAtDetection = c?.requests ?? null;
}
