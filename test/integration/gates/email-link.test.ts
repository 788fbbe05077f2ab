import { newNonce, signApprovalToken, type ApprovalTokenPayload } from '../../../src/approval-links/approval-token';
import { acceptedDecisions, linkFrom, openGateEnv, postForm, SECRET, type GateEnv } from './gate-env';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAVE = 'dave@example.com';

describe('emailed approval links on a real release, through the approvals server and the Temporal update', () => {
  let env: GateEnv;
  beforeAll(async () => {
    env = await openGateEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const tokenOf = (link: string) => decodeURIComponent(link.split('/approve/')[1]);
  const payloadOf = (link: string) => JSON.parse(Buffer.from(tokenOf(link).split('.')[0], 'base64url').toString('utf8')) as ApprovalTokenPayload;
  const linkWith = (token: string) => `${env.approvalsUrl}/approve/${encodeURIComponent(token)}`;

  it('shows the evidence on GET of the mailed link without deciding, decides on POST, and the release moves past the gate', async () => {
    const handle = await env.atDeployGate();
    const mail = await env.mailFor(handle.workflowId, ALICE);
    const link = linkFrom(mail);
    expect(link.startsWith(`${env.approvalsUrl}/approve/`)).toBe(true);
    expect(mail.text).toContain('auc');
    const mailed = await env.waitStatus(handle, (s) => s.notifications.length > 0, 20_000);
    expect(mailed.notifications).toEqual([expect.objectContaining({ gate: 'deploy', kind: 'opened', sent: [ALICE, BOB] })]);

    const before = await env.status(handle);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`${handle.workflowId}: deploy gate`);
    expect(html).toContain(`You are deciding as <strong id="approver">${ALICE}</strong>`);
    expect(html).toMatch(/<table id="offline">.*<th scope="row">auc<\/th><td>0\.\d+/);
    expect(html).toContain('id="approve"');
    // A GET (mail scanners, link previews) changes nothing.
    const afterGet = await env.status(handle);
    expect(afterGet.gates).toEqual(before.gates);
    expect(afterGet.stage).toBe('awaiting_deploy_approval');
    expect(await acceptedDecisions(handle)).toEqual([]);

    const post = await postForm(link, { action: 'approve', comment: 'offline evidence is fine' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain(`${ALICE} approved the deploy gate of ${handle.workflowId}. The gate is now approved.`);
    const moved = await env.waitStatus(handle, (s) => s.stage === 'rollout' || s.stage === 'done');
    expect(moved.gates[0]).toMatchObject({ status: 'approved', decisions: [expect.objectContaining({ approver: ALICE, channel: 'email', comment: 'offline evidence is fine' })] });
    expect(moved.timeline.map((t) => t.stage)).toEqual(expect.arrayContaining(['awaiting_deploy_approval', 'rollout']));
    expect(await acceptedDecisions(handle)).toEqual([expect.objectContaining({ approver: ALICE, decision: 'approve', channel: 'email' })]);
  });

  it('refuses forged, expired, replayed and other people\'s links, each with nothing changed on the release', async () => {
    const handle = await env.atDeployGate({ approval: { approvers: [ALICE, BOB, DAVE], gates: { deploy: { required: 2 } } } });
    const aliceLink = linkFrom(await env.mailFor(handle.workflowId, ALICE));
    const bobLink = linkFrom(await env.mailFor(handle.workflowId, BOB));
    expect((await postForm(aliceLink, { action: 'approve' })).status).toBe(200);
    const snapshot = await env.status(handle);
    expect(snapshot.gates[0]).toMatchObject({ status: 'open', decisions: [expect.objectContaining({ approver: ALICE })] });

    const p = payloadOf(bobLink);
    const fresh = (over: Partial<ApprovalTokenPayload>, secret = SECRET) => linkWith(signApprovalToken({ ...p, nonce: newNonce(), ...over }, secret));
    // Bob's payload rewritten to name someone else, keeping Bob's signature.
    const [, bobSig] = tokenOf(bobLink).split('.');
    const rewritten = linkWith(`${Buffer.from(JSON.stringify({ ...p, approver: 'mallory@example.com' })).toString('base64url')}.${bobSig}`);
    const attempts: Array<[string, string, number, RegExp]> = [
      ['forged (signed with another secret)', fresh({}, 'not-the-server-secret-but-long-enough-0123456789'), 403, /signature does not match/],
      ['expired', fresh({ exp: Math.floor(Date.now() / 1000) - 60 }), 410, /has expired/],
      ['replayed (Alice\'s used link)', aliceLink, 409, /already been used/],
      ['signed for someone who is not an approver', fresh({ approver: 'mallory@example.com' }), 403, /mallory@example\.com is not an approver/],
      ['Bob\'s link rewritten to another name', rewritten, 403, /signature does not match/],
      ['for an earlier run of the release', fresh({ runId: 'an-older-run' }), 409, /earlier run/],
    ];
    for (const [what, link, status, message] of attempts) {
      const r = await postForm(link, { action: 'approve' });
      expect({ what, status: r.status }).toEqual({ what, status });
      expect({ what, text: await r.text() }).toEqual({ what, text: expect.stringMatching(message) });
    }
    const after = await env.status(handle);
    expect(after.gates).toEqual(snapshot.gates);
    expect(after.stage).toBe('awaiting_deploy_approval');
    expect((await acceptedDecisions(handle)).map((d) => d.approver)).toEqual([ALICE]);
    // Refusals of verified links are kept for auditors.
    expect((await env.opened.approvalsStore.refused.list({ releaseId: handle.workflowId })).map((r) => r.code)).toEqual(['LINK_USED', 'NOT_ALLOWED', 'RELEASE_MOVED_ON']);

    // Bob's own link still works afterwards and completes the quorum.
    expect((await postForm(bobLink, { action: 'approve' })).status).toBe(200);
    const done = await env.waitStatus(handle, (s) => s.gates[0].status === 'approved');
    expect(done.gates[0].decisions.map((d) => d.approver)).toEqual([ALICE, BOB]);
  });
});
