/**
 * Hostile approval links and API requests against a REAL release waiting at its deploy gate,
 * through the approvals server wired to Temporal. Each refusal names what is wrong, changes
 * nothing (same status, no history event), and the server still serves a good request afterwards.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { newNonce, signApprovalToken, type ApprovalTokenPayload } from '../../../src/approval-links/approval-token';
import { creditSpec } from '../../helpers/release-env';
import { terminateIfRunning, unique } from '../../helpers/temporal';
import { openApprovalsEnv, SECRET, type ApprovalsEnv } from './approvals-env';
import { expectOutcome } from '../../helpers/outcome';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const HOUR = 3600;

describe('hostile approval links and API requests on a release waiting at its gate', () => {
  let env: ApprovalsEnv;
  let handle: WorkflowHandle;
  let aliceLink: string;
  let aliceToken: string;
  let runId: string;

  beforeAll(async () => {
    env = await openApprovalsEnv();
    // High risk: two approvals needed, so the gate stays open after one and refusals can be tried twice.
    handle = await env.startRelease(creditSpec(unique('hostile'), { riskClass: 'high' }));
    const opened = await waitFor(() => env.status(handle), (s) => s.stage === 'awaiting_deploy_approval' && s.notifications.length > 0);
    runId = opened.runId;
    const mail = await env.mail.waitFor((m) => m.subject.includes(handle.workflowId) && m.to.includes(ALICE), 30_000);
    aliceLink = /(http:\/\/\S+\/approve\/\S+)/.exec(mail.text)![1];
    aliceToken = aliceLink.split('/approve/')[1];
  }, 120_000);
  afterAll(async () => {
    if (handle) await terminateIfRunning(env.client, handle.workflowId, 'test finished');
    await env?.close();
  });

  const sign = (over: Partial<ApprovalTokenPayload>, secret = SECRET) =>
    signApprovalToken({ releaseId: handle.workflowId, runId, gate: 'deploy', approver: ALICE, exp: Math.floor(Date.now() / 1000) + HOUR, nonce: newNonce(), ...over }, secret);
  const postLink = (token: string, form: Record<string, string> = { action: 'approve', comment: 'hostile' }) =>
    fetch(`${env.approvalsUrl}/approve/${token}`, { method: 'POST', body: new URLSearchParams(form) });

  /** Sends the request; asserts its status, its message, and that the release did not change. */
  async function refused(send: () => Promise<Response>, status: number, message: RegExp, target: WorkflowHandle = handle): Promise<void> {
    const before = await env.fingerprint(target);
    const res = await send();
    const text = await res.text();
    // The API answers JSON ({ error, message }), the link routes an HTML page: compare the words people read.
    const body = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as { message: string }).message : text;
    expect({ status: res.status, body }).toEqual({ status, body: expect.stringMatching(message) });
    expect(await env.fingerprint(target)).toEqual(before);
  }

  const LINK_CASES: Array<[string, () => string, number, RegExp]> = [
    ['a link signed with another secret (forged)', () => sign({}, 'an-attacker-secret-that-is-long-enough-0123456789'), 403, /not issued by this mlgate server/],
    ['a truncated link', () => aliceToken.slice(0, -12), 403, /signature does not match/],
    ['a link cut before its signature', () => aliceToken.split('.')[0], 400, /malformed/],
    ['an expired link', () => sign({ exp: Math.floor(Date.now() / 1000) - 60 }), 410, /has expired/],
    ['a link for the other gate', () => sign({ gate: 'promote' }), 409, /promote gate of .* is pending, not open|promote gate .* not open/],
    ['a link for another release', () => sign({ releaseId: `${handle.workflowId}-other` }), 404, /does not exist/],
    ['a link for someone who is not an approver', () => sign({ approver: 'mallory@example.com' }), 403, /mallory@example.com is not an approver/],
    ['a link from another run of the same workflow id', () => sign({ runId: 'an-earlier-run-0000' }), 409, /earlier run of/],
    ['a link with bytes that are not a URL component', () => '%00%ff..', 400, /not a valid url component/],
  ];

  it.each(LINK_CASES)('refuses %s with a clear page and leaves the release unchanged', async (_t, token, status, message) => {
    await refused(() => postLink(token()), status, message);
  });

  it('refuses a real link whose form carries an unknown action, naming the field', async () => {
    await refused(() => postLink(aliceToken, { action: 'maybe' }), 400, /action: choose approve or reject/);
  });

  const api = (path: string, init: RequestInit = {}) => fetch(`${env.approvalsUrl}${path}`, init);
  const decisionUrl = (gate = 'deploy') => `/api/releases/${handle.workflowId}/gates/${gate}/decisions`;
  const json = (token: string, body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });

  it.each<[string, (t: string) => RequestInit, string, number, RegExp]>([
    ['no Authorization header', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"decision":"approve"}' }), '', 401, /Authorization: Bearer/],
    ['an unknown API token', () => json('not-a-real-token', '{"decision":"approve"}'), '', 401, /unknown or revoked/],
    ['a decision that is neither approve nor reject', (t) => json(t, '{"decision":"maybe"}'), '', 400, /body\.decision: expected "approve" or "reject"/],
    ['an approver field smuggled into the body', (t) => json(t, `{"decision":"approve","approver":"${BOB}"}`), '', 400, /approver/],
    ['a body that is not JSON', (t) => json(t, '{"decision": approve'), '', 400, /JSON/i],
    ['a comment over 2000 characters', (t) => json(t, JSON.stringify({ decision: 'approve', comment: 'x'.repeat(2001) })), '', 400, /body\.comment: keep the comment under 2000 characters/],
    ['a body over the 64 KiB limit', (t) => json(t, JSON.stringify({ decision: 'approve', comment: 'x'.repeat(70_000) })), '', 413, /too large/i],
    ['a gate that does not exist', (t) => json(t, '{"decision":"approve"}'), 'nope', 400, /gate: .*"deploy"\|"promote"/],
  ])('refuses an API decision with %s, naming the problem', async (_t, init, gate, status, message) => {
    const token = await env.opened.approvalsStore.apiTokens.create(ALICE);
    await refused(() => api(decisionUrl(gate || 'deploy'), init(token)), status, message);
  });

  it('records a good link decision after all that, then refuses the same link replayed', async () => {
    const res = await postLink(aliceToken);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: expect.stringContaining(`${ALICE} approved the deploy gate`) });
    const after = await env.status(handle);
    expect(after.gates.find((g) => g.gate === 'deploy')?.decisions.map((d) => [d.approver, d.decision, d.channel])).toEqual([[ALICE, 'approve', 'email']]);
    await refused(() => postLink(aliceToken), 409, /already been used/);
    // The same person through the API is refused too: one vote per person per gate.
    const token = await env.opened.approvalsStore.apiTokens.create(ALICE);
    await refused(() => api(decisionUrl(), json(token, '{"decision":"approve"}')), 409, /already/);
  });

  it('still serves the API after every refusal: the second approver decides and the gate closes', async () => {
    const token = await env.opened.approvalsStore.apiTokens.create(BOB);
    const res = await api(decisionUrl(), json(token, '{"decision":"reject","comment":"done testing"}'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true, approver: BOB, decision: 'reject' });
    const result = await handle.result();
    expectOutcome(result, 'rejected_at_gate');
  });

  it('refuses a real emailed link from an earlier run of the same workflow id, and the new run takes its own link', async () => {
    const model = unique('rerun');
    const id = `release-${model}-1`;
    const spec = creditSpec(model);
    const linkOf = async (h: WorkflowHandle) => {
      await waitFor(() => env.status(h), (s) => s.stage === 'awaiting_deploy_approval' && s.notifications[0]?.state === 'sent');
      const d = await h.describe();
      const mail = await env.mail.waitFor((m) => m.subject.includes(id) && m.to.includes(ALICE) && m.text.includes('/approve/') && !seen.has(m.text), 30_000);
      seen.add(mail.text);
      return { runId: d.runId, link: /(http:\/\/\S+\/approve\/\S+)/.exec(mail.text)![1] };
    };
    const seen = new Set<string>();
    const first = await env.startRelease(spec, { id });
    const old = await linkOf(first);
    await first.terminate('superseded by a re-run of the same release id');
    const second = await env.startRelease(spec, { id });
    const fresh = await linkOf(second);
    expect(fresh.runId).not.toBe(old.runId);

    await refused(() => fetch(old.link, { method: 'POST', body: new URLSearchParams({ action: 'approve', comment: 'old mail' }) }), 409, /earlier run of/, second);
    const res = await fetch(fresh.link, { method: 'POST', body: new URLSearchParams({ action: 'approve', comment: 'this run' }) });
    expect(res.status).toBe(200);
    const s = await waitFor(() => env.status(second), (x) => x.gates[0].status === 'approved');
    expect(s.gates[0].decisions.map((d) => [d.approver, d.channel, d.comment])).toEqual([[ALICE, 'email', 'this run']]);
    await second.terminate('test finished');
  });

  it('logs each refused attempt that carried a verified identity, since the workflow history never sees it', async () => {
    const codes = (await env.opened.approvalsStore.refused.list({ releaseId: handle.workflowId })).map((r) => `${r.channel}:${r.who}:${r.code}`);
    expect(codes).toEqual(expect.arrayContaining([
      `email:${ALICE}:GATE_NOT_OPEN`, 'email:mallory@example.com:NOT_ALLOWED', `email:${ALICE}:RELEASE_MOVED_ON`, `email:${ALICE}:LINK_USED`, `api:${ALICE}:ALREADY_VOTED`,
    ]));
  });
});

async function waitFor<T>(read: () => Promise<T>, pred: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
