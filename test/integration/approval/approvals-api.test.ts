import { startHarness, type Harness } from './harness';

type ErrorBody = { error: string; message: string };
const json = async <T = ErrorBody>(res: Response): Promise<T> => (await res.json()) as T;

describe('approvals JSON API over real HTTP', () => {
  let h: Harness;
  let aliceToken: string;
  let devToken: string;
  beforeAll(async () => {
    h = await startHarness();
    aliceToken = await h.store.apiTokens.create('a@x.io');
    devToken = await h.store.apiTokens.create('dev@x.io');
    await h.openRelease('release-api-1');
  });
  afterAll(async () => {
    await h.close();
  });

  const decide = (token: string | null, body: unknown, path = '/api/releases/release-api-1/gates/deploy/decisions') =>
    fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  test('a request without a token is refused with 401 and says how to get one', async () => {
    const res = await decide(null, { decision: 'approve' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.stringContaining('Authorization: Bearer') });
    expect(h.releases.decideCalls).toHaveLength(0);
  });

  test('an unknown or tampered token is refused with 401', async () => {
    expect((await decide('mlg_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { decision: 'approve' })).status).toBe(401);
    expect((await decide(`${aliceToken.slice(0, -1)}x`, { decision: 'approve' })).status).toBe(401);
    expect(h.releases.decideCalls).toHaveLength(0);
  });

  test('a body that names an approver is refused with 400: identity comes only from the token', async () => {
    const res = await decide(aliceToken, { decision: 'approve', approver: 'b@x.io' });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/body: Unrecognized key: "approver"/);
    expect(h.releases.decideCalls).toHaveLength(0);
  });

  test('bad input is refused with 400 naming the field', async () => {
    const bad = await decide(aliceToken, { decision: 'yes' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toBe('body.decision: expected "approve" or "reject"');
    const gate = await decide(aliceToken, { decision: 'approve' }, '/api/releases/release-api-1/gates/ship/decisions');
    expect(gate.status).toBe(400);
    expect((await json(gate)).message).toMatch(/^params\.gate: /);
  });

  test('a valid token decides with the verified identity over the api channel', async () => {
    const res = await decide(aliceToken, { decision: 'approve', comment: 'good slices' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: true, releaseId: 'release-api-1', gate: 'deploy', approver: 'a@x.io', decision: 'approve', gateStatus: 'open' });
    expect(h.releases.decideCalls.at(-1)).toMatchObject({ approver: 'a@x.io', channel: 'api', runId: 'run-1' });
    expect(h.releases.gate('release-api-1', 'deploy').decisions).toEqual([expect.objectContaining({ approver: 'a@x.io', comment: 'good slices' })]);
  });

  test('a second vote is refused with 409 and the requester approving is refused with 403, both logged', async () => {
    const again = await decide(aliceToken, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toBe('ALREADY_VOTED');
    const self = await decide(devToken, { decision: 'approve' });
    expect(self.status).toBe(403);
    expect(await self.json()).toEqual({ error: 'SELF_APPROVAL', message: 'dev@x.io requested this release and may not decide on it' });
    expect((await h.store.refused.list({ releaseId: 'release-api-1' })).map((r) => [r.who, r.channel, r.code])).toEqual([
      ['a@x.io', 'api', 'ALREADY_VOTED'],
      ['dev@x.io', 'api', 'SELF_APPROVAL'],
    ]);
    expect(h.releases.gate('release-api-1', 'deploy').decisions).toHaveLength(1);
  });

  test('the release view and the pending list are served to authenticated users', async () => {
    const auth = { authorization: `Bearer ${devToken}` };
    const view = await (await fetch(`${h.url}/api/releases/release-api-1`, { headers: auth })).json();
    expect(view).toMatchObject({ releaseId: 'release-api-1', runId: 'run-1', riskClass: 'high', gates: [expect.objectContaining({ gate: 'deploy', status: 'open' }), expect.objectContaining({ gate: 'promote' })] });
    expect((await fetch(`${h.url}/api/releases/release-nope`, { headers: auth })).status).toBe(404);
    const bob = await h.store.apiTokens.create('b@x.io');
    const pending = await (await fetch(`${h.url}/api/pending`, { headers: { authorization: `Bearer ${bob}` } })).json();
    expect(pending).toEqual({ approver: 'b@x.io', pending: [expect.objectContaining({ releaseId: 'release-api-1', gate: 'deploy', approvals: 1, required: 2 })] });
    const alicePending = await json<{ pending: unknown[] }>(await fetch(`${h.url}/api/pending`, { headers: { authorization: `Bearer ${aliceToken}` } }));
    expect(alicePending.pending).toEqual([]);
  });

  test('a revoked token no longer authenticates', async () => {
    const t = await h.store.apiTokens.create('c@x.io');
    expect(await h.store.apiTokens.authenticate(t)).toBe('c@x.io');
    expect(await h.store.apiTokens.revoke(t)).toBe(true);
    expect((await fetch(`${h.url}/api/pending`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
  });
});
