import { newNonce, signApprovalToken } from '../../../src/approval-links/approval-token';
import { postForm, SECRET, startHarness, type Harness } from './harness';

describe('approval links over real HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const linkFor = (over: Partial<{ releaseId: string; runId: string; gate: 'deploy' | 'promote'; approver: string; exp: number }>): string => {
    const token = signApprovalToken({ releaseId: 'x', runId: 'run-1', gate: 'deploy', approver: 'a@x.io', exp: Math.floor(Date.now() / 1000) + 600, nonce: newNonce(), ...over }, SECRET);
    return `${h.url}/approve/${token}`;
  };

  test('the server listens on 127.0.0.1 by default', () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('opening the emailed link twice shows the evidence and decides nothing', async () => {
    const links = await h.openRelease('release-l-1');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(links['a@x.io']);
      expect(res.status).toBe(200);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html).toContain('<table id="offline">');
      expect(html).toContain('<table id="slices">');
      expect(html).toContain('sex=&lt;male&gt;');
      expect(html).not.toContain('<male>');
      expect(html).toMatch(/<svg [^>]*aria-label="p99 latency \(ms\)"/);
      expect(html).toContain('<button type="submit" name="action" value="approve" id="approve">');
    }
    expect(h.releases.decideCalls.filter((c) => c.releaseId === 'release-l-1')).toHaveLength(0);
    expect(h.releases.gate('release-l-1', 'deploy').decisions).toEqual([]);
    const post = await postForm(links['a@x.io'], { action: 'approve', comment: 'metrics look fine' });
    expect(post.status).toBe(200);
  });

  test('posting from the link records the approver from the token, and a replay of the link is refused', async () => {
    const links = await h.openRelease('release-l-2');
    const res = await postForm(links['b@x.io'], { action: 'approve', comment: 'ok <b>bold</b>' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('b@x.io approved the deploy gate of release-l-2. The gate is now open.');
    expect(h.releases.gate('release-l-2', 'deploy').decisions).toEqual([expect.objectContaining({ approver: 'b@x.io', decision: 'approve', channel: 'email', comment: 'ok <b>bold</b>' })]);
    const replay = await postForm(links['b@x.io'], { action: 'reject', comment: '' });
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('already been used');
    expect((await fetch(links['b@x.io'])).status).toBe(409);
    expect(h.releases.gate('release-l-2', 'deploy').decisions).toHaveLength(1);
    const second = await postForm(links['c@x.io'], { action: 'approve', comment: '' });
    expect(await second.text()).toContain('The gate is now approved.');
  });

  test('a forged link is refused with 403 and changes nothing', async () => {
    const links = await h.openRelease('release-l-3');
    const [payload, sig] = links['a@x.io'].split('/approve/')[1].split('.');
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...json, approver: 'c@x.io' })).toString('base64url');
    const res = await postForm(`${h.url}/approve/${forged}.${sig}`, { action: 'approve' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('signature does not match');
    expect(h.releases.gate('release-l-3', 'deploy').decisions).toEqual([]);
  });

  test('an expired link is refused with 410 and changes nothing', async () => {
    await h.openRelease('release-l-4');
    const res = await postForm(linkFor({ releaseId: 'release-l-4', exp: Math.floor(Date.now() / 1000) - 5 }), { action: 'approve' });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('expired');
    expect(h.releases.gate('release-l-4', 'deploy').decisions).toEqual([]);
  });

  test('a link for someone who is not an approver is refused with 403 and the attempt is logged', async () => {
    await h.openRelease('release-l-5');
    const res = await postForm(linkFor({ releaseId: 'release-l-5', approver: 'mallory@x.io' }), { action: 'approve' });
    expect(res.status).toBe(403);
    expect(h.releases.gate('release-l-5', 'deploy').decisions).toEqual([]);
    expect(await h.store.refused.list({ releaseId: 'release-l-5' })).toEqual([expect.objectContaining({ who: 'mallory@x.io', gate: 'deploy', channel: 'email', code: 'NOT_ALLOWED' })]);
  });

  test('a link for a gate that is not open, or for an unknown release, is refused', async () => {
    await h.openRelease('release-l-6');
    const wrongGate = await postForm(linkFor({ releaseId: 'release-l-6', gate: 'promote' }), { action: 'approve' });
    expect(wrongGate.status).toBe(409);
    expect(await wrongGate.text()).toContain('promote gate of release-l-6 is pending');
    expect((await fetch(linkFor({ releaseId: 'release-nope' }))).status).toBe(404);
    expect(h.releases.gate('release-l-6', 'promote').decisions).toEqual([]);
  });

  test('a link from an earlier run is refused after the release restarted', async () => {
    const links = await h.openRelease('release-l-7', 'run-1');
    h.releases.restart('release-l-7', 'run-2');
    const res = await postForm(links['a@x.io'], { action: 'approve' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('earlier run');
    expect(h.releases.gate('release-l-7', 'deploy').decisions).toEqual([]);
    expect((await h.store.refused.list({ releaseId: 'release-l-7' })).map((r) => r.code)).toEqual(['RELEASE_MOVED_ON']);
  });

  test('a form without a valid action is refused with 400 naming the field, and the link stays usable', async () => {
    const links = await h.openRelease('release-l-8');
    const res = await postForm(links['a@x.io'], { action: 'maybe' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('action: choose approve or reject');
    expect((await postForm(links['a@x.io'], { action: 'reject', comment: 'no' })).status).toBe(200);
    expect(h.releases.gate('release-l-8', 'deploy').status).toBe('rejected');
  });

  test('garbage in place of a token gets a 400 page', async () => {
    const res = await fetch(`${h.url}/approve/not-a-token`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});
