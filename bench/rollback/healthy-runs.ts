/**
 * False rollbacks: healthy canaries (no fault) of real releases, in parallel lanes (one model per
 * lane, each with its own traffic). Each lane first promotes a champion (a first release, not
 * counted: it has no baseline), then releases candidates whose trainer settings differ slightly,
 * so each one is a new artifact that behaves like the champion. Anything but `promoted` is a
 * false rollback, and its reason is kept.
 */
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import { runTraffic } from '../../src/traffic';
import type { BenchStack } from '../shared/stack';
import { benchSpec, candidateTrainer } from './spec';
import { startRelease } from './release-driver';

export interface HealthyRunsOptions {
  lanes: number;
  /** Releases to judge in total (across lanes). */
  releases: number;
  /** Stop starting new releases after this long; the figure says how many ran. */
  budgetMs: number;
  /** Traffic per lane. */
  rps: number;
}

export interface HealthyRunsResult {
  judged: number;
  promoted: number;
  falseRollbacks: Array<{ workflowId: string; outcome: string; reason: string }>;
  elapsedMs: number;
}

const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

async function lane(stack: BenchStack, l: number, quota: () => boolean, out: HealthyRunsResult): Promise<void> {
  const model = `bench-healthy-${l}`;
  for (let n = 1; ; n++) {
    if (n > 1 && !quota()) return;
    // Every release trains a distinct artifact close to the last (epochs 120, 119, 118, ...): never
    // identical to the champion (which a rollback leaves in place), never a real change in behaviour.
    const trainer = candidateTrainer(121 - n);
    const workflowId = `release-${model}-${n}`;
    const result = await (await startRelease(stack, benchSpec(model, { trainer }), workflowId)).result();
    if (n === 1) {
      if (result.outcome !== 'promoted') throw new Error(`lane ${l}: the champion release ended ${result.outcome}: ${result.reasons.join('; ')}`);
      continue;
    }
    out.judged++;
    if (result.outcome === 'promoted') out.promoted++;
    else out.falseRollbacks.push({ workflowId, outcome: result.outcome, reason: result.reasons.join('; ') });
  }
}

export async function runHealthyCanaries(stack: BenchStack, o: HealthyRunsOptions): Promise<HealthyRunsResult> {
  const out: HealthyRunsResult = { judged: 0, promoted: 0, falseRollbacks: [], elapsedMs: 0 };
  const start = Date.now();
  let started = 0;
  // A release is claimed before it starts, so the lanes together never run more than `releases`.
  const quota = () => Date.now() - start < o.budgetMs && started++ < o.releases;
  const abort = new AbortController();
  const traffic = Array.from({ length: o.lanes }, (_, l) =>
    runTraffic({ gatewayUrl: stack.gatewayUrl, model: `bench-healthy-${l}`, rows, rps: o.rps, durationMs: o.budgetMs + 180_000, signal: abort.signal }));
  try {
    await Promise.all(Array.from({ length: o.lanes }, (_, l) => lane(stack, l, quota, out)));
  } finally {
    abort.abort();
    await Promise.all(traffic);
  }
  out.elapsedMs = Date.now() - start;
  return out;
}
