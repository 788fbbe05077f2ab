import type { WorkflowHandle } from '@temporalio/client';
import { ADMIN_TOKEN, creditSpec } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { linkFrom, openGateEnv, postForm, type GateEnv } from './gate-env';
import { expectOutcome } from '../../helpers/outcome';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAVE = 'dave@example.com';
const ERIN = 'erin@example.com';

describe('gate rejection, timeout, escalation and reminders on a real release', () => {
  let env: GateEnv;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    env = await openGateEnv();
  });
  afterAll(async () => {
    await env?.stopAll(started);
    await env?.close();
  });

  async function start(overrides: Parameters<typeof creditSpec>[1] = {}) {
    const model = unique('credit');
    const handle = await env.startRelease(creditSpec(model, overrides));
    started.push(handle);
    return { model, handle };
  }

  /** Nothing deployed: no aliases moved and the gateway has never heard of the model. */
  async function expectNothingDeployed(model: string) {
    expect(await env.opened.deps.pipeline.registry.getAliases(model)).toEqual({ champion: null, previous: null, candidate: null });
    const r = await fetch(`${env.gatewayAdminUrl}/admin/models/${model}/routing`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r.status).toBe(404);
  }

  it('ends the release rejected_at_gate with nothing deployed when an approver rejects at the deploy gate', async () => {
    const { model, handle } = await start();
    const link = linkFrom(await env.mailFor(handle.workflowId, BOB));
    const r = await postForm(link, { action: 'reject', comment: 'slice gap too large' });
    expect(r.status).toBe(200);
    const result = await handle.result();
    expectOutcome(result, 'rejected_at_gate');
    expect(result.reasons).toEqual([`rejected by ${BOB}: slice gap too large`]);
    const s = await env.status(handle);
    expect(s.gates.map((g) => g.status)).toEqual(['rejected', 'pending']);
    expect(s.timeline.map((t) => t.stage)).not.toContain('rollout');
    await expectNothingDeployed(model);
  });

  it('ends the release gate_timed_out when nobody decides before a reject-on-timeout deadline', async () => {
    const { model, handle } = await start({ approval: { approvers: [ALICE, BOB], gates: { deploy: { timeout: '2s', onTimeout: 'reject' } } } });
    const result = await handle.result();
    expectOutcome(result, 'gate_timed_out');
    expect(result.reasons).toEqual(['timed out after 2s without a quorum']);
    const gate = (await env.status(handle)).gates[0];
    expect(gate).toMatchObject({ status: 'timed_out', decisions: [], escalated: false });
    await expectNothingDeployed(model);
  });

  it('escalates a timed-out gate by mailing the escalation list, and an escalated approver can approve from that mail', async () => {
    const { handle } = await start({ approval: { approvers: [ALICE, BOB], escalateTo: [ERIN], gates: { deploy: { timeout: '4s', onTimeout: 'escalate' } } } });
    const mail = await env.mailFor(handle.workflowId, ERIN, { kind: 'escalation', timeoutMs: 30_000 });
    expect(mail.text).toContain('The gate timed out without a quorum and was escalated to you.');
    const escalated = await env.status(handle);
    expect(escalated.gates[0]).toMatchObject({ status: 'escalated', escalated: true, opening: 2, approvers: [ALICE, BOB, ERIN] });
    // Erin was never an approver before the escalation, so the escalation mail is her first.
    expect(env.mail.messages().filter((m) => m.to.includes(ERIN)).map((m) => m.subject)).toEqual([mail.subject]);

    const r = await postForm(linkFrom(mail), { action: 'approve', comment: 'escalated, evidence fine' });
    expect(r.status).toBe(200);
    const s = await env.waitStatus(handle, (x) => x.stage !== 'awaiting_deploy_approval');
    expect(s.gates[0]).toMatchObject({ status: 'approved', decisions: [expect.objectContaining({ approver: ERIN, channel: 'email' })] });
    expect(s.outcome).not.toBe('gate_timed_out');
  });

  it('mails a reminder before the deadline to the approvers who have not voted yet', async () => {
    const { handle } = await start({ approval: { approvers: [ALICE, BOB, DAVE], gates: { deploy: { required: 2, timeout: '5s', remindBefore: ['2s'], onTimeout: 'reject' } } } });
    await env.waitStatus(handle, (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', ALICE);
    const reminder = await env.mailFor(handle.workflowId, BOB, { kind: 'reminder' });
    expect(linkFrom(reminder)).toContain('/approve/');
    const result = await handle.result();
    expectOutcome(result, 'gate_timed_out');
    const reminded = env.mail.messages().filter((m) => m.subject === reminder.subject).flatMap((m) => m.to).sort();
    expect(reminded).toEqual([BOB, DAVE]);
  });
});
