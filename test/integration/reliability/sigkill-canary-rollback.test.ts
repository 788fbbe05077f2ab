/**
 * SIGKILL of the worker process mid-canary (while the candidate serves its 50% step next to a real
 * champion) and again during the rollback. The rollback is caught in the act by a gateway outage:
 * the promote gate is rejected while the gateway is down, so the rollback activity keeps failing
 * and retrying when the worker is killed. Then the gateway and a fresh worker come back; the
 * rollback completes exactly once: routing back on the champion, candidate alias cleared, no alias
 * moved twice, and the rejection recorded as the outcome.
 */
import { creditSpec } from '../../helpers/release-env';
import { temporalAddress, unique } from '../../helpers/temporal';
import { openProcessStack, pendingActivity, waitFor, waitStatus, type ProcessStack } from './process-stack';
import { expectOutcome } from '../../helpers/outcome';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('a release survives SIGKILL of its worker mid-canary and during rollback', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await openProcessStack({ address: temporalAddress() });
  });
  afterAll(async () => stack?.close());

  it('keeps the 50% step going on a new worker, then finishes a rollback interrupted by a kill, moving each alias once', async () => {
    const model = unique('sigkill-canary');
    const stopTraffic = new AbortController();
    const traffic = stack.traffic(model, stopTraffic.signal);
    const first = await stack.startWorker();
    try {
      // The champion: low risk, both gates auto-approved, promoted on live traffic.
      const champion = await (await stack.startRelease(creditSpec(model, { riskClass: 'low', strategy: { kind: 'canary', steps: [100], stepBake: '1s', postPromotionWatch: '1s' } }))).result();
      expectOutcome(champion, 'promoted');

      // The candidate: a different seed (a different artifact), a 50% step long enough for the kill to land in it.
      const h = await stack.startRelease(creditSpec(model, {
        trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 60, learningRate: 0.2 }, seed: 11 },
        strategy: { kind: 'canary', steps: [50, 100], stepBake: '8s', postPromotionWatch: '1s' },
      }));
      await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval');
      await stack.decide(h, 'deploy', ALICE);
      await waitFor(async () => (await stack.routing(model))?.candidate?.weight === 50, 60_000);
      await first.kill(); // 1: mid-canary, at 50%
      const second = await stack.startWorker();
      const atGate = await waitStatus(h, (s) => s.stage === 'awaiting_promote_approval', 150_000);
      expect(atGate.evidence.canary?.steps.map((s) => [s.percent, s.verdict])).toEqual([[50, 'pass'], [100, 'pass']]);
      const candidate = atGate.artifactId!;

      await stack.stopGateway();
      await stack.decide(h, 'promote', BOB, 'reject');
      await waitStatus(h, (s) => s.stage === 'rolling_back');
      const failing = await waitFor(async () => ((await pendingActivity(h, 'rollbackRelease'))?.attempt ?? 0) >= 2, 60_000).then(() => pendingActivity(h, 'rollbackRelease'));
      expect(failing?.lastFailure?.message).toMatch(/ECONNREFUSED|fetch failed|gateway/i);
      await second.kill(); // 2: during the rollback
      await stack.startGateway();
      const third = await stack.startWorker();
      const result = await h.result();
      await third.stop();

      expectOutcome(result, 'rejected_at_gate');
      const routing = await stack.routing(model);
      expect(routing?.stable?.version).toBe(champion.artifactId);
      expect(routing?.candidate ?? null).toBeNull();
      const registry = stack.registry();
      expect(await registry.getAliases(model)).toMatchObject({ champion: champion.artifactId, candidate: null });
      expect((await registry.listVersions(model)).map((v) => v.artifactId).sort()).toEqual([champion.artifactId, candidate].sort());
      const moves = (await registry.aliasHistory(model)).map((c) => `${c.alias}:${c.from}->${c.to}`);
      expect(moves).toEqual([...new Set(moves)]);
      expect(moves).toContain(`candidate:${candidate}->null`);
    } finally {
      stopTraffic.abort();
      await traffic;
    }
  }, 480_000);
});
