/**
 * Breach-to-rollback on real releases, per metrics source: the gateway's own in-memory windows (the
 * embedded default) and Prometheus scraping the gateway at each given interval
 * (MLGATE_METRICS_SOURCE=prometheus). Each source gets a fresh embedded stack with the same
 * gateway, worker and traffic; only where the rollout analysis reads its windows changes. A fault
 * lands on the 50% canary of a real release and bench/rollback/fault-run.ts times fault -> the watch
 * activity's `fail` (detection) and -> the gateway routing the champion alone (total).
 */
import { generateSyntheticCredit } from '../../src/domain/data/synthetic-credit';
import type { ModelSpecInput } from '../../src/domain/spec';
import type { Fault } from '../../src/gateway/faults';
import { runTraffic } from '../../src/traffic';
import { measureFaultRun, type FaultRunResult } from '../rollback/fault-run';
import { startRelease } from '../rollback/release-driver';
import { benchSpec } from '../rollback/spec';
import { startBenchStack, type BenchStack } from '../shared/stack';
import { intervalMs } from './summary';

export interface SourceRuns {
  /** `in-memory` or `prometheus-<interval>`. */
  source: string;
  /** Prometheus's scrape interval in ms; null for the gateway's own windows. */
  scrapeMs: number | null;
  /**
   * Healthy canary time before each fault: two scrapes and a second, so the candidate's series has
   * an increase() before the fault, plus a random part up to one scrape so the fault lands at a
   * random phase of the scrape cycle (runs end just after a scrape, so a fixed wait would land every
   * fault at the same phase).
   */
  runs: Array<FaultRunResult & { healthyMs: number }>;
}

export interface DetectionOptions {
  runs: number;
  rps: number;
  fault: Partial<Pick<Fault, 'latencyMs' | 'errorRate'>>;
}

const rows = generateSyntheticCredit({ rows: 400, seed: 99, drift: 0 }) as unknown as Record<string, unknown>[];

/**
 * Every source runs the same releases. The inconclusive limit (120 s) and the bake (180 s) sit far
 * above two slow scrapes, so only the analysis seeing the fault can end a faulty step.
 */
const SLO = { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '120s' } as const;
const CANDIDATE: Partial<ModelSpecInput> = { slo: { ...SLO, onInconclusive: 'rollback' }, strategy: { kind: 'canary', steps: [50, 100], stepBake: '180s', postPromotionWatch: '1s' } };
const CHAMPION: Partial<ModelSpecInput> = { slo: { ...SLO, onInconclusive: 'hold' } };

async function promoteChampion(stack: BenchStack, model: string): Promise<string> {
  const r = await (await startRelease(stack, benchSpec(model, CHAMPION), `release-${model}-1`)).result();
  if (r.outcome !== 'promoted' || !r.artifactId) throw new Error(`champion release of ${model} ended ${r.outcome}: ${r.reasons.join('; ')}`);
  return r.artifactId;
}

/** One source: a fresh stack, steady traffic, a champion, then `runs` faulty candidates. */
export async function measureSource(scrapeInterval: string | null, o: DetectionOptions): Promise<SourceRuns> {
  const source = scrapeInterval ? `prometheus-${scrapeInterval}` : 'in-memory';
  const scrapeMs = scrapeInterval ? intervalMs(scrapeInterval) : null;
  const stack = await startBenchStack({ name: `cluster-detect-${source}`, faultInjection: true, ...(scrapeInterval ? { prometheusScrapeInterval: scrapeInterval } : {}) });
  const model = 'bench-detect';
  const abort = new AbortController();
  const traffic = runTraffic({ gatewayUrl: stack.gatewayUrl, model, rows, rps: o.rps, durationMs: 3_600_000, signal: abort.signal, maxInFlight: 1024 });
  try {
    const champion = await promoteChampion(stack, model);
    const runs: SourceRuns['runs'] = [];
    for (let i = 0; i < o.runs; i++) {
      const healthyMs = Math.round(scrapeMs === null ? 1000 + Math.random() * 1000 : 2 * scrapeMs + 1000 + Math.random() * scrapeMs);
      const r = await measureFaultRun(stack, { model, champion, index: i, fault: o.fault, healthyMs, specOverrides: CANDIDATE });
      runs.push({ ...r, healthyMs });
      console.log(`  ${source} #${i + 1}: ${r.outcome}${r.beforeFault ? ' BEFORE the fault' : ''}, detection ${r.detectionMs.toFixed(0)} ms, total ${r.totalMs.toFixed(0)} ms (${r.reason.slice(0, 90)})`);
    }
    return { source, scrapeMs, runs };
  } finally {
    abort.abort();
    await traffic;
    await stack.close();
  }
}
