/**
 * One measured rollback: a canary of a real release is live, traffic flows, a fault is injected on
 * the candidate, and we time (1) fault -> the watch activity completes with `fail` (the server's
 * event time in the rollout's history) and (2) that -> the gateway's routing shows the champion
 * alone again (polled on the admin API every 10 ms). Same machine, same clock for both.
 */
import type { Fault } from '../../src/gateway/faults';
import type { BenchStack } from '../shared/stack';
import type { ModelSpecInput } from '../../src/domain/spec';
import { benchSpec, candidateTrainer } from './spec';
import { activityCompletedAt, pollRouting, startRelease } from './release-driver';

/** The release plan of every fault run: the step bake (60 s) is far longer than any detection, so only the analysis can end the step. */
export const faultRunStrategy = (): ModelSpecInput['strategy'] => ({ kind: 'canary', steps: [50, 100], stepBake: '60s', postPromotionWatch: '1s' });

export interface FaultRunInput {
  model: string;
  champion: string;
  /** Distinct per run: picks the candidate's trainer setting and the release number. */
  index: number;
  fault: Partial<Pick<Fault, 'latencyMs' | 'errorRate'>>;
  /** Healthy canary time before the fault lands, so the baseline window has data. @default 1000 */
  healthyMs?: number;
  /** Spec settings over the benchmark's (e.g. a longer bake and inconclusive limit for a slow metrics source). */
  specOverrides?: Partial<ModelSpecInput>;
}

export interface FaultRunResult {
  outcome: string;
  candidate: string;
  detectionMs: number;
  flipMs: number;
  totalMs: number;
  reason: string;
  /** The canary was rolled back before the fault landed (a false rollback): no timing is taken from it. */
  beforeFault: boolean;
}

export async function measureFaultRun(stack: BenchStack, input: FaultRunInput): Promise<FaultRunResult> {
  const { model, champion } = input;
  const spec = benchSpec(model, { trainer: candidateTrainer(61 + input.index), strategy: faultRunStrategy(), ...input.specOverrides });
  const workflowId = `release-${model}-${input.index + 2}`;
  const handle = await startRelease(stack, spec, workflowId);
  let candidate = '';
  await pollRouting(stack, model, (r) => {
    if (r?.candidate?.weight !== 50) return false;
    candidate = r.candidate.version;
    return true;
  });
  await new Promise((r) => setTimeout(r, input.healthyMs ?? 1000));
  const faultAt = Date.now();
  await stack.admin.injectFault({ model, version: candidate, ...input.fault });
  const restoredAt = await pollRouting(stack, model, (r) => r?.stable?.version === champion && !r.candidate);
  const result = await handle.result();
  await stack.admin.clearFaults(model);
  const failedAt = await activityCompletedAt(stack, workflowId, 'watchRollout'); // the rollout runs in the release
  return { outcome: result.outcome, candidate, detectionMs: failedAt - faultAt, flipMs: restoredAt - failedAt, totalMs: restoredAt - faultAt, reason: result.reasons[0] ?? '', beforeFault: failedAt < faultAt };
}
