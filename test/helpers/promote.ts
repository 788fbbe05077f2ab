/**
 * A release approved at both gates under flowing traffic, for tests that need a promoted champion
 * (and a `previous` after the second). Waits on stages, not on wall time.
 */
import type { ModelSpecInput } from '../../src/domain/spec';
import { statusQuery } from '../../src/workflows/messages';
import { waitForStage, type ReleaseEnv } from './release-env';

export async function promoteUnderTraffic(
  env: ReleaseEnv, spec: ModelSpecInput, beforeDeploy: (releaseId: string) => Promise<void> = async () => undefined, traffic: { rows?: Record<string, unknown>[] } = {},
) {
  const h = await env.startRelease(spec);
  const st = await waitForStage(() => h.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval' || s.stage === 'done', 180_000);
  if (st.stage === 'done') throw new Error(`${h.workflowId} ended before its deploy gate: ${st.reasons.join('; ')}`);
  await beforeDeploy(h.workflowId);
  await env.decide(h, 'deploy', 'alice@example.com');
  const flowing = env.flowingTraffic(spec.id, { rps: 100, ...traffic });
  try {
    await waitForStage(() => h.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 240_000);
    await env.decide(h, 'promote', 'bob@example.com');
    return { id: h.workflowId, result: await h.result() };
  } finally {
    await flowing.stop();
  }
}
