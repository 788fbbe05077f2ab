/**
 * The SMTP relay is down when the gate opens. The workflow owns the mail retries
 * (spec.approval.mailRetry), so the relay's error is in `status.notifications` from the first
 * failed attempt on, and the batch is recorded as failed when the attempts run out. Meanwhile the
 * gate is decided through the real `mlgate` CLI and the approvals server's JSON API.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { creditSpec } from '../../helpers/release-env';
import { temporalAddress, unique } from '../../helpers/temporal';
import { openGateEnv, type GateEnv } from './gate-env';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'mlgate.js');
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

/** The real CLI as a child process (async: the test process hosts the worker, so it must not block). */
async function mlgate(dataDir: string, ...args: string[]): Promise<string> {
  const env = { PATH: process.env.PATH ?? '', HOME: dataDir, MLGATE_TEMPORAL_ADDRESS: temporalAddress(), MLGATE_DATA_DIR: dataDir, MLGATE_USER: ALICE };
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return stdout;
}

/** Durations (ms) of the workflow's short timers: the waits between mail attempts (gate timers run for hours). */
async function shortTimersMs(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const d = e.timerStartedEventAttributes?.startToFireTimeout;
    const ms = d ? Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6) : Infinity;
    return ms < 60_000 ? [ms] : [];
  });
}

async function mailActivitiesScheduled(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendApprovalEmails').length;
}

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

  it('shows the relay error in status while retrying, and the gate is decided through the CLI and the API', async () => {
    // High risk: two approvals, one through each channel.
    const handle = await env.startRelease(creditSpec(unique('credit'), { riskClass: 'high' }));
    started.push(handle);
    const failing = await env.waitStatus(handle, (s) => s.stage === 'awaiting_deploy_approval' && s.notifications.length > 0);
    expect(failing.notifications).toEqual([
      expect.objectContaining({ gate: 'deploy', kind: 'opened', state: 'retrying', sent: [], error: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: expect.any(String) }),
    ]);
    expect(failing.notifications[0].attempts).toBeGreaterThanOrEqual(1); // a slow poll may see the second attempt already
    expect(await mlgate(env.dataDir, 'status', handle.workflowId)).toMatch(/mail for deploy \(opened\) failing after \d+ attempts?: .*ECONNREFUSED.*; retrying at /);

    expect(await mlgate(env.dataDir, 'approve', handle.workflowId, '--gate', 'deploy', '--comment', 'mail is down, deciding by CLI')).toContain(`approve recorded for ${handle.workflowId} (deploy gate) as ${ALICE}`);
    const res = await fetch(`${env.approvalsUrl}/api/releases/${handle.workflowId}/gates/deploy/decisions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await env.apiToken(BOB)}` }, body: JSON.stringify({ decision: 'approve', comment: 'and by API' }),
    });
    expect(res.status).toBe(200);

    const s = await env.waitStatus(handle, (x) => x.stage !== 'awaiting_deploy_approval');
    expect(s.gates[0]).toMatchObject({ status: 'approved' });
    expect(s.gates[0].decisions.map((d) => [d.approver, d.channel])).toEqual([[ALICE, 'cli'], [BOB, 'api']]);
    // Still not reported as sent, and nothing reached any mailbox.
    expect(s.notifications.filter((n) => n.state === 'sent')).toEqual([]);
    expect(env.mail.messages()).toEqual([]);
  });

  it('records the batch as failed when spec.approval.mailRetry runs out, and the gate stays decidable', async () => {
    const spec = creditSpec(unique('credit'), { approval: { approvers: [ALICE, BOB], mailRetry: { attempts: 3, initialInterval: '300ms', maxInterval: '1s' } } });
    const handle = await env.startRelease(spec);
    started.push(handle);
    const s = await env.waitStatus(handle, (x) => x.notifications[0]?.state === 'failed', 60_000);
    expect(s.notifications).toEqual([expect.objectContaining({ gate: 'deploy', kind: 'opened', state: 'failed', attempts: 3, sent: [], error: expect.stringMatching(/ECONNREFUSED/) })]);
    expect(s.notifications[0].nextAttemptAt).toBeUndefined();
    expect(s.stage).toBe('awaiting_deploy_approval');
    expect(await mailActivitiesScheduled(handle)).toBe(3);
    expect(await shortTimersMs(handle)).toEqual([300, 600]); // backoff: 300 ms, doubled, capped at 1 s
    expect(await mlgate(env.dataDir, 'status', handle.workflowId)).toContain('mail for deploy (opened) failed after 3 attempts');

    expect(await env.decide(handle, 'deploy', ALICE)).toEqual({ gateStatus: 'approved' });
    expect((await env.waitStatus(handle, (x) => x.stage !== 'awaiting_deploy_approval')).gates[0].status).toBe('approved');
    expect(await mailActivitiesScheduled(handle)).toBe(3); // gave up means gave up
  });
});
