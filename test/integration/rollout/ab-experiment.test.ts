/**
 * A/B releases end to end: a real Temporal server, the real gateway, and seeded users who each send
 * one prediction (with their user key) and then a 0/1 conversion as feedback over HTTP. The
 * candidate converts far better in one test and far worse in the other; the release decides from
 * the feedback alone: a winner waits at the promote gate with its KPI curve, a loser rolls back by
 * itself.
 */
import { buildAuditRecord } from '../../../src/audit';
import type { ExperimentEvidence } from '../../../src/domain/approval/views';
import { abSpec, predictAs as predict, seededUsers, USER_KEY } from '../../helpers/ab-users';
import { openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { aliasesOf, promoteChampion, routingOf, statusOf, stopAllTraffic } from './rollout-fixtures';
import { unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

/** Starts an A/B release against a fresh champion and approves its deploy gate; resolves once the split is live. */
async function startExperiment(env: ReleaseEnv, model: string) {
  const champion = await promoteChampion(env, model);
  const handle = await env.startRelease(abSpec(model));
  const gated = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_deploy_approval');
  const candidate = gated.artifactId!;
  await env.decide(handle, 'deploy', 'alice@example.com');
  await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.version === candidate && r.stickyRequired === true);
  return { champion, candidate, handle };
}

const experimentOf = (evidence: unknown) => (evidence as { experiment?: ExperimentEvidence }).experiment;

describe('A/B releases decided by seeded feedback', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterEach(stopAllTraffic);
  afterAll(async () => env?.close());

  it('calls a candidate that converts far better the winner, keeps each user on one arm, and shows the KPI curve at the promote gate', async () => {
    const model = unique('abwin');
    const { champion, candidate, handle } = await startExperiment(env, model);
    const unkeyed = await predict(env, model, null);
    expect(unkeyed.status).toBe(400);
    expect(unkeyed.body.message).toContain(`send header ${USER_KEY} with a stable user key`);
    const arms = await seededUsers(env, model, { candidate, rates: { candidate: 0.8, control: 0.2 }, seed: 1, done: async () => (await statusOf(handle)).stage !== 'rollout' });
    const status = await waitForStage(() => statusOf(handle), (s) => s.stage === 'awaiting_promote_approval');
    const e = experimentOf(status.evidence)!;
    expect(e.verdict).toBe('winner');
    expect(e.points[e.points.length - 1].lower).toBeGreaterThan(0);
    expect(new Set(arms.values())).toEqual(new Set([champion, candidate]));
    // Sticky: asking again with the same key lands on the same arm.
    for (const [user, version] of [...arms].slice(0, 10)) expect((await predict(env, model, user)).body.version).toBe(version);
    const mail = await env.mail.waitFor((m) => m.subject.includes(`promote gate of ${handle.workflowId}`), 30_000);
    expect(mail.text).toContain('A/B experiment (conversion): winner');
    expect(mail.html).toContain('data-series="lower bound"');
    await env.decide(handle, 'promote', 'bob@example.com');
    const result = await handle.result();
    expectOutcome(result, 'promoted');
    expect(await aliasesOf(env, model)).toMatchObject({ champion: candidate });
  });

  it('calls a candidate that converts far worse the loser and rolls it back by itself', async () => {
    const model = unique('ablose');
    const { champion, candidate, handle } = await startExperiment(env, model);
    await seededUsers(env, model, { candidate, rates: { candidate: 0.2, control: 0.8 }, seed: 2, done: async () => (await statusOf(handle)).stage !== 'rollout' });
    const result = await handle.result();
    expectOutcome(result, 'rolled_back');
    const status = await statusOf(handle);
    expect(experimentOf(status.evidence)?.verdict).toBe('loser');
    expect(status.rollback?.reason).toMatch(/^A\/B 50%: loser: the candidate is worse/);
    expect(status.timeline.map((t) => t.stage)).not.toContain('awaiting_promote_approval');
    const routing = await routingOf(env, model);
    expect(routing?.stable?.version).toBe(champion);
    expect(routing?.candidate).toBeUndefined();
    expect(routing?.stickyRequired).toBeUndefined();
    expect(await aliasesOf(env, model)).toMatchObject({ champion, candidate: null });
    // The audit ties the rollback to the experiment's call and its KPI curve.
    const audit = await buildAuditRecord({ client: env.client, releaseId: handle.workflowId, refusedAttempts: [] });
    expect(audit.rollout?.steps[0]).toMatchObject({ percent: 50, verdict: 'fail', experiment: true, evidence: { verdict: 'loser' } });
    expect(audit.rollback).toMatchObject({ cause: 'rollout_analysis', by: 'mlgate', from: candidate, to: champion });
  });
});
