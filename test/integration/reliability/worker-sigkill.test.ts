/**
 * Faults with real processes and real signals: the worker (`mlgate worker`, a child process) is
 * SIGKILLed while a release waits at its deploy gate and again mid-rollout; a fresh worker process
 * takes over each time. The release still ends promoted, and nothing happened twice: one
 * registered version, no repeated alias move, one "approval needed" mail per approver per gate.
 * A kill during an external training run makes the new worker run the training again, once.
 */
import path from 'node:path';
import { creditSpec } from '../../helpers/release-env';
import { temporalAddress, unique } from '../../helpers/temporal';
import { openProcessStack, startedAttempts, waitFor, waitStatus, type ProcessStack } from './process-stack';
import { expectOutcome } from '../../helpers/outcome';

const TRAIN_PY = path.join(__dirname, '..', '..', '..', 'examples', 'external-trainer', 'train.py');
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('a release survives SIGKILL of its worker process', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await openProcessStack({ address: temporalAddress() });
  });
  afterAll(async () => stack?.close());

  const routing = (model: string) => stack.routing(model);
  const openedMails = (releaseId: string, gate: string) =>
    stack.mail.messages().filter((m) => m.subject === `[mlgate] Approval needed: ${gate} gate of ${releaseId}`).flatMap((m) => m.to).sort();

  it('ends promoted after kills at the deploy gate and mid-rollout, with no duplicate registration, alias move or mail', async () => {
    const model = unique('sigkill');
    // A long enough step that the kill lands inside it.
    const spec = creditSpec(model, { strategy: { kind: 'canary', steps: [50, 100], stepBake: '6s', postPromotionWatch: '1500ms' } });
    const first = await stack.startWorker();
    const h = await stack.startRelease(spec);
    await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval' && s.notifications.length > 0);
    await stack.mail.waitFor((m) => m.subject.includes(`deploy gate of ${h.workflowId}`) && m.to.includes(BOB), 30_000);

    await first.kill(); // 1: while waiting at the deploy gate
    const second = await stack.startWorker();
    await stack.decide(h, 'deploy', ALICE);
    const stopTraffic = new AbortController();
    const traffic = stack.traffic(model, stopTraffic.signal);
    const result = await (async () => {
      try {
        // A first release has no stable version, so its canary is one 100% step with the watch running.
        await waitStatus(h, (s) => s.stage === 'rollout');
        await waitFor(async () => (await routing(model)) !== null);
        await second.kill(); // 2: mid-canary; the heartbeating watch activity dies with it
        const third = await stack.startWorker();
        await waitStatus(h, (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 150_000);
        await stack.decide(h, 'promote', BOB);
        const r = await h.result();
        await third.stop();
        return r;
      } finally {
        stopTraffic.abort();
        await traffic;
      }
    })();

    expectOutcome(result, 'promoted');
    const registry = stack.registry();
    expect((await registry.listVersions(model)).map((v) => v.artifactId)).toEqual([result.artifactId]);
    const moves = (await registry.aliasHistory(model)).map((c) => `${c.alias}:${c.from}->${c.to}`);
    expect(moves).toEqual([...new Set(moves)]);
    expect(await registry.getAliases(model)).toMatchObject({ champion: result.artifactId, candidate: null });
    expect((await routing(model))?.stable?.version).toBe(result.artifactId);
    expect(openedMails(h.workflowId, 'deploy')).toEqual([ALICE, BOB]);
    expect(openedMails(h.workflowId, 'promote')).toEqual([ALICE, BOB]);
  }, 420_000);

  it('re-runs an external training killed with its worker and ends promoted with one registered version', async () => {
    const model = unique('sigkill-train');
    // Low risk: both gates auto-approve; with no traffic the rollout is inconclusive and `hold` lets it on.
    const spec = creditSpec(model, {
      riskClass: 'low',
      trainer: { kind: 'external', command: ['sh', '-c', `sleep 6 && exec python3 ${TRAIN_PY}`], params: { epochs: 60 }, seed: 7, timeout: '2m' },
      slo: { minSamples: 30, inconclusiveAfter: '1s', onInconclusive: 'hold' },
      strategy: { kind: 'canary', steps: [100], stepBake: '1s', postPromotionWatch: '1s' },
    });
    const first = await stack.startWorker();
    const h = await stack.startRelease(spec);
    await waitStatus(h, (s) => s.stage === 'train');
    await new Promise((r) => setTimeout(r, 2_000)); // the trainer process is running and heartbeating
    await first.kill();
    const second = await stack.startWorker();
    const result = await h.result(); // the activity's heartbeat times out (30 s) and it runs again here
    await second.stop();

    expectOutcome(result, 'promoted');
    expect(await startedAttempts(h, 'trainModel')).toEqual([2]); // a started event is written once, for the attempt that finished
    expect((await stack.registry().listVersions(model)).map((v) => v.artifactId)).toEqual([result.artifactId]);
  }, 300_000);
});
