/**
 * The SMTP relay is down when the gate opens. The workflow's mail retry policy (8 attempts,
 * backoff from 2 s, capped at 1 min) gives up only after about three minutes, too long for this
 * folder's budget, so this file checks that the gate works while mail keeps failing and that the
 * activity is being retried with the relay's error; the give-up record in `status.notifications`
 * is not waited for here.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { creditSpec, waitForStage } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { openGateEnv, type GateEnv } from './gate-env';

type PendingActivity = { activityType?: { name?: string | null } | null; attempt?: number | null; lastFailure?: { message?: string | null } | null };

describe('approval gate with the SMTP relay down', () => {
  let env: GateEnv;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    env = await openGateEnv({ smtpDown: true });
  });
  afterAll(async () => {
    await env?.stopAll(started);
    await env?.close();
  });

  const pendingMail = async (handle: WorkflowHandle): Promise<PendingActivity | undefined> =>
    ((await handle.describe()).raw.pendingActivities as PendingActivity[] | null | undefined)?.find((a) => a.activityType?.name === 'sendApprovalEmails');

  it('still decides the gate through the update while the approval mail is being retried against the dead relay', async () => {
    const handle = await env.startRelease(creditSpec(unique('credit')));
    started.push(handle);
    await env.waitStatus(handle, (s) => s.stage === 'awaiting_deploy_approval');

    // The mail activity fails and is retried (attempt 2 starts 2 s after the first failure).
    const retried = await waitForStage(() => pendingMail(handle), (a) => (a?.attempt ?? 0) >= 2, 30_000);
    expect(retried?.attempt).toBeGreaterThanOrEqual(2);
    expect(retried?.lastFailure?.message).toMatch(/ECONNREFUSED|connect/i);

    const ack = await env.decide(handle, 'deploy', 'alice@example.com');
    expect(ack).toEqual({ gateStatus: 'approved' });
    const s = await env.waitStatus(handle, (x) => x.stage !== 'awaiting_deploy_approval');
    expect(s.gates[0]).toMatchObject({ status: 'approved', decisions: [expect.objectContaining({ approver: 'alice@example.com' })] });
    // The failure is not reported as sent, and nothing reached any mailbox.
    expect(s.notifications.filter((n) => n.error === undefined && n.sent.length > 0)).toEqual([]);
    expect(env.mail.messages()).toEqual([]);
    // The mail keeps being retried in the background while the release moved on.
    expect((await pendingMail(handle))?.attempt).toBeGreaterThanOrEqual(2);
  });
});
