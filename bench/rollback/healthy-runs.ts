/**
 * False rollbacks: healthy canaries (no fault) of real releases, in parallel lanes (one model per
 * lane, each with its own traffic). Each lane first promotes a champion (a first release, not
 * counted: it has no baseline), then releases candidates from the set's trainer, each a new
 * artifact that behaves like the champion. Anything but `promoted` is a false rollback, and its
 * reason is kept. Two sets (see `HEALTHY_SETS`):
 *  - `same-recipe`: the champion's recipe retrained with one epoch fewer each time (epochs 119,
 *    118, ...): converged weights, scores equal to the champion's to a few decimals. This is as
 *    close to "identical" as a release gets: an artifact identical to the champion is refused
 *    before any canary (`superseded`), so it cannot be measured here.
 *  - `other-recipe`: a different learning rate, L2 penalty and seed: a different model whose
 *    scores move a little but whose behaviour (offline metrics, latency, errors) is equivalent.
 */
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import { runTraffic } from '../../src/traffic';
import type { BenchStack } from '../shared/stack';
import type { ModelSpecInput } from '../../src/domain/spec';
import { benchSpec, candidateTrainer } from './spec';
import { startRelease } from './release-driver';

export const HEALTHY_SETS = {
  'same-recipe': (n: number) => candidateTrainer(121 - n),
  'other-recipe': (n: number): ModelSpecInput['trainer'] => ({ kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 100 + (n % 40), learningRate: 0.15, l2: 0.001 }, seed: 100 + n }),
} as const;
export type HealthySet = keyof typeof HEALTHY_SETS;

export interface HealthyRunsOptions {
  set: HealthySet;
  lanes: number;
  /** Releases to judge in total (across lanes). */
  releases: number;
  /** Stop starting new releases after this long; the figure says how many ran. */
  budgetMs: number;
  /** Traffic per lane. */
  rps: number;
}

export interface HealthyRunsResult {
  set: HealthySet;
  judged: number;
  promoted: number;
  falseRollbacks: Array<{ workflowId: string; outcome: string; reason: string }>;
  elapsedMs: number;
}

const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

const modelOf = (set: HealthySet, l: number) => `bench-healthy-${set}-${l}`;

async function lane(stack: BenchStack, set: HealthySet, l: number, quota: () => boolean, out: HealthyRunsResult): Promise<void> {
  const model = modelOf(set, l);
  for (let n = 1; ; n++) {
    if (n > 1 && !quota()) return;
    // The champion (n = 1) is the benchmark spec's own recipe; the candidates come from the set.
    const trainer = n === 1 ? candidateTrainer(120) : HEALTHY_SETS[set](n);
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
  const out: HealthyRunsResult = { set: o.set, judged: 0, promoted: 0, falseRollbacks: [], elapsedMs: 0 };
  const start = Date.now();
  let started = 0;
  // A release is claimed before it starts, so the lanes together never run more than `releases`.
  const quota = () => Date.now() - start < o.budgetMs && started++ < o.releases;
  const abort = new AbortController();
  const traffic = Array.from({ length: o.lanes }, (_, l) =>
    runTraffic({ gatewayUrl: stack.gatewayUrl, model: modelOf(o.set, l), rows, rps: o.rps, durationMs: o.budgetMs + 180_000, signal: abort.signal }));
  try {
    await Promise.all(Array.from({ length: o.lanes }, (_, l) => lane(stack, o.set, l, quota, out)));
  } finally {
    abort.abort();
    await Promise.all(traffic);
  }
  out.elapsedMs = Date.now() - start;
  return out;
}
