import { newNonce, signApprovalToken, verifyApprovalToken, type ApprovalTokenPayload } from '../../../src/approval-links/approval-token';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const NOW = new Date('2026-01-01T00:00:00Z');
const payload = (over: Partial<ApprovalTokenPayload> = {}): ApprovalTokenPayload => ({
  releaseId: 'release-credit-risk-1', runId: 'run-1', gate: 'deploy', approver: 'a@x.io', exp: NOW.getTime() / 1000 + 3600, nonce: newNonce(), ...over,
});

describe('approval tokens', () => {
  test('a signed token verifies and returns its payload', () => {
    const p = payload();
    expect(verifyApprovalToken(signApprovalToken(p, SECRET), SECRET, NOW)).toEqual({ ok: true, payload: p });
  });

  test('a token signed with another secret is refused as a bad signature', () => {
    const t = signApprovalToken(payload(), `${SECRET}-other`);
    expect(verifyApprovalToken(t, SECRET, NOW)).toEqual({ ok: false, error: 'bad_signature' });
  });

  test('a token whose payload was edited is refused as a bad signature', () => {
    const [, sig] = signApprovalToken(payload(), SECRET).split('.');
    const forged = Buffer.from(JSON.stringify(payload({ approver: 'mallory@x.io' }))).toString('base64url');
    expect(verifyApprovalToken(`${forged}.${sig}`, SECRET, NOW)).toEqual({ ok: false, error: 'bad_signature' });
  });

  test('a token past its expiry is refused as expired', () => {
    const t = signApprovalToken(payload({ exp: NOW.getTime() / 1000 - 1 }), SECRET);
    expect(verifyApprovalToken(t, SECRET, NOW)).toEqual({ ok: false, error: 'expired' });
  });

  test('garbage is refused as malformed', () => {
    expect(verifyApprovalToken('not-a-token', SECRET, NOW)).toEqual({ ok: false, error: 'malformed' });
    expect(verifyApprovalToken('a.b.c', SECRET, NOW)).toEqual({ ok: false, error: 'malformed' });
  });

  test('a short secret is rejected with a message naming the variable to set', () => {
    expect(() => signApprovalToken(payload(), 'short')).toThrow(/MLGATE_APPROVAL_SECRET/);
  });
});
