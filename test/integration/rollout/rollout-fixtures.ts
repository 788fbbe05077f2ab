/**
 * Shared steps for the rollout tests: promote a champion through both gates, keep traffic flowing
 * until a release ends, and read routing and aliases back from the real gateway and registry.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { AnalysisResult, CheckResult } from '../../../src/domain/analysis/verdict';
import type { Routing } from '../../../src/domain/routing';
import type { ModelSpecInput } from '../../../src/domain/spec';
import { createGatewayAdmin, type GatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import type { TrafficStats } from '../../../src/traffic';
import { statusQuery } from '../../../src/workflows/messages';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import { ADMIN_TOKEN, creditSpec, waitForStage, type ReleaseEnv } from '../../helpers/release-env';

/** A different trainer setting than `creditSpec`'s, so the second release trains a new artifact. */
export const CANDIDATE_TRAINER: ModelSpecInput['trainer'] = { kind: 'builtin', params: { epochs: 60, learningRate: 0.2 }, seed: 11 };

export function adminOf(env: ReleaseEnv): GatewayAdmin {
  return createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN });
}

export async function routingOf(env: ReleaseEnv, model: string): Promise<Routing | null> {
  return adminOf(env).getRouting(model);
}

export function aliasesOf(env: ReleaseEnv, model: string) {
  return env.opened.deps.pipeline.registry.getAliases(model);
}

export function statusOf(handle: WorkflowHandle): Promise<ReleaseStatus> {
  return handle.query(statusQuery);
}

const flowing = new Set<AbortController>();

/** Traffic at `rps` until `stop()` is called (bounded at two minutes); stop resolves with what was answered. */
export function flowingTraffic(env: ReleaseEnv, model: string, rps = 80): { stop(): Promise<TrafficStats> } {
  const abort = new AbortController();
  flowing.add(abort);
  const running = env.traffic(model, 120_000, rps, { signal: abort.signal });
  return {
    stop() {
      abort.abort();
      flowing.delete(abort);
      return running;
    },
  };
}

/** For afterEach: a test that failed half-way must not leave traffic running into the next one. */
export function stopAllTraffic(): void {
  for (const a of flowing) a.abort();
  flowing.clear();
}

/** Runs a first release of `model` through both gates with traffic flowing; returns the champion's artifact id. */
export async function promoteChampion(env: ReleaseEnv, model: string): Promise<string> {
  const handle = await env.startRelease(creditSpec(model));
  await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
  const traffic = flowingTraffic(env, model);
  await env.decide(handle, 'deploy', 'alice@example.com');
  await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done');
  await env.decide(handle, 'promote', 'bob@example.com');
  const result = await handle.result();
  await traffic.stop();
  if (result.outcome !== 'promoted' || !result.artifactId) throw new Error(`champion release of ${model} ended ${result.outcome}: ${result.reasons.join('; ')}`);
  return result.artifactId;
}

/** The analysis the rollout recorded as the rollback's cause (`{ workflowId, analysis }`). */
export function rollbackAnalysis(status: ReleaseStatus): AnalysisResult {
  const evidence = status.rollback?.evidence as { analysis?: AnalysisResult } | undefined;
  if (!evidence?.analysis) throw new Error(`release has no rollback analysis: ${JSON.stringify(status.rollback)}`);
  return evidence.analysis;
}

export function failingChecks(analysis: AnalysisResult): string[] {
  return analysis.checks.filter((c: CheckResult) => c.verdict === 'fail').map((c) => c.name);
}

/**
 * Promotes a champion, starts a second release, injects `fault` on its candidate as soon as the
 * canary is live, keeps traffic flowing until the release ends, and returns what the assertions
 * need. The step bake (default 20 s) is long so that only the analysis, never the end of the bake,
 * can end the step.
 */
export async function faultyCanary(env: ReleaseEnv, model: string, fault: { latencyMs?: number; errorRate?: number }, stepBake = '20s') {
  const champion = await promoteChampion(env, model);
  const spec = creditSpec(model, { trainer: CANDIDATE_TRAINER, strategy: { kind: 'canary', steps: [50, 100], stepBake, postPromotionWatch: '1s' } });
  const handle = await env.startRelease(spec);
  const gated = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
  const candidate = gated.artifactId!;
  const traffic = flowingTraffic(env, model);
  await env.decide(handle, 'deploy', 'alice@example.com');
  await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.version === candidate && r.candidate.weight === 50);
  await adminOf(env).injectFault({ model, version: candidate, ...fault });
  const result = await handle.result();
  const stats = await traffic.stop();
  await adminOf(env).clearFaults(model);
  return { champion, candidate, result, stats, status: await statusOf(handle) };
}
