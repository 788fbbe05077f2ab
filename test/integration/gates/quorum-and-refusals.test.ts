import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { acceptedDecisions, openGateEnv, signalsInHistory, type GateEnv } from './gate-env';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAVE = 'dave@example.com';
const CAROL = 'carol@example.com'; // the harness's requester

describe('approval gate quorum and refusals on a real release', () => {
  let env: GateEnv;
  beforeAll(async () => {
    env = await openGateEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const twoOfThree = { approval: { approvers: [ALICE, BOB, DAVE, CAROL], gates: { deploy: { required: 2 } } } };

  /** The failure a refused Update carries: the validator's ApplicationFailure. */
  async function refusedUpdate(p: Promise<unknown>): Promise<ApplicationFailure> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }

  it('keeps a 2-of-3 deploy gate open after one approval and approves it on the second, over the HTTP API', async () => {
    const handle = await env.atDeployGate(twoOfThree);
    const url = `${env.approvalsUrl}/api/releases/${handle.workflowId}/gates/deploy/decisions`;
    const vote = async (user: string) =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${await env.apiToken(user)}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'approve', comment: `${user} looked at the evidence` }) });

    const first = await vote(ALICE);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: true, approver: ALICE, gateStatus: 'open' });
    const between = await env.status(handle);
    expect(between.stage).toBe('awaiting_deploy_approval');
    expect(between.gates[0]).toMatchObject({ status: 'open', required: 2, decisions: [expect.objectContaining({ approver: ALICE, channel: 'api' })] });

    const second = await vote(DAVE);
    expect(await second.json()).toMatchObject({ accepted: true, approver: DAVE, gateStatus: 'approved' });
    const after = await env.waitStatus(handle, (s) => s.stage !== 'awaiting_deploy_approval');
    expect(after.gates[0].status).toBe('approved');
    expect(after.gates[0].closedReason).toBe(`approved by ${ALICE}, ${DAVE} (2 of 2 required)`);
    expect((await acceptedDecisions(handle)).map((d) => d.approver)).toEqual([ALICE, DAVE]);
  });

  it('refuses the requester approving their own release synchronously, with the reason, and writes nothing to history', async () => {
    const handle = await env.atDeployGate(twoOfThree);
    const cause = await refusedUpdate(env.decide(handle, 'deploy', CAROL));
    expect(cause.type).toBe('DecisionRefused');
    expect(cause.details).toEqual(['SELF_APPROVAL']);
    expect(cause.message).toBe(`${CAROL} requested this release and may not decide on it`);

    // The same attempt over the API: refused with the code, and logged for auditors.
    const r = await fetch(`${env.approvalsUrl}/api/releases/${handle.workflowId}/gates/deploy/decisions`, {
      method: 'POST', headers: { authorization: `Bearer ${await env.apiToken(CAROL)}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'approve' }),
    });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: 'SELF_APPROVAL', message: `${CAROL} requested this release and may not decide on it` });
    expect(await env.opened.approvalsStore.refused.list({ releaseId: handle.workflowId })).toEqual([expect.objectContaining({ who: CAROL, code: 'SELF_APPROVAL', channel: 'api' })]);

    expect(await acceptedDecisions(handle)).toEqual([]);
    const s = await env.status(handle);
    expect(s.gates[0]).toMatchObject({ status: 'open', decisions: [] });
    expect(s.gates[0].approvers).not.toContain(CAROL);
  });

  it('refuses a second vote by the same approver as ALREADY_VOTED and keeps one decision from them', async () => {
    const handle = await env.atDeployGate(twoOfThree);
    await env.decide(handle, 'deploy', BOB);
    const cause = await refusedUpdate(env.decide(handle, 'deploy', BOB));
    expect(cause.details).toEqual(['ALREADY_VOTED']);
    expect(cause.message).toBe(`${BOB} has already decided on the deploy gate`);
    const s = await env.status(handle);
    expect(s.gates[0]).toMatchObject({ status: 'open', decisions: [expect.objectContaining({ approver: BOB })] });
    expect(s.gates[0].decisions).toHaveLength(1);
    expect((await acceptedDecisions(handle)).map((d) => d.approver)).toEqual([BOB]);
  });

  it('moves a medium-risk release past its deploy gate on a decision sent as a plain signal by name', async () => {
    const handle = await env.atDeployGate();
    // What `temporal workflow signal --name decision --input '{...}'` sends: a plain JSON object.
    await handle.signal('decision', { gate: 'deploy', approver: ALICE, decision: 'approve', comment: 'from the Temporal UI' });
    const s = await env.waitStatus(handle, (x) => x.stage !== 'awaiting_deploy_approval');
    expect(s.gates[0]).toMatchObject({ status: 'approved', refused: [], decisions: [expect.objectContaining({ approver: ALICE, channel: 'signal', comment: 'from the Temporal UI' })] });
    expect(await signalsInHistory(handle)).toEqual(['decision']);
  });

  it('refuses a signal decision on a critical release and records the refusal in the gate state', async () => {
    const handle = await env.atDeployGate({ riskClass: 'critical', approval: { approvers: [ALICE, BOB, DAVE] } });
    await handle.signal('decision', { gate: 'deploy', approver: ALICE, decision: 'approve', comment: 'from the Temporal UI' });
    const s = await env.waitStatus(handle, (x) => x.gates[0].refused.length > 0, 20_000);
    expect(s.stage).toBe('awaiting_deploy_approval');
    expect(s.gates[0]).toMatchObject({ status: 'open', decisions: [] });
    expect(s.gates[0].refused).toEqual([
      expect.objectContaining({ approver: ALICE, decision: 'approve', channel: 'signal', code: 'SIGNALS_DISABLED', reason: expect.stringContaining('does not accept signal decisions') }),
    ]);
  });
});
