/**
 * Signed approval links. token = base64url(payload JSON) "." base64url(HMAC-SHA256(secret, encoded payload)).
 * The signature covers the encoded bytes, so verification never depends on re-serialising JSON.
 * The action is not in the token: the person chooses it on the page. One-time use is enforced by
 * the used-token store (nonce), and the runId binds a link to one workflow run.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { GateNameSchema } from '../domain/spec';

export const ApprovalTokenPayloadSchema = z.object({
  releaseId: z.string().min(1),
  runId: z.string().min(1),
  gate: GateNameSchema,
  approver: z.string().min(1),
  /** Expiry, unix seconds. */
  exp: z.number().int().positive(),
  nonce: z.string().min(16),
});
export type ApprovalTokenPayload = z.infer<typeof ApprovalTokenPayloadSchema>;

export type TokenError = 'malformed' | 'bad_signature' | 'expired';
export type VerifyResult = { ok: true; payload: ApprovalTokenPayload } | { ok: false; error: TokenError };

const MIN_SECRET_BYTES = 32;

function assertSecret(secret: string): void {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(`approval link secret must be at least ${MIN_SECRET_BYTES} bytes; set MLGATE_APPROVAL_SECRET to a long random string (e.g. \`openssl rand -hex 32\`)`);
  }
}

function mac(secret: string, encodedPayload: string): Buffer {
  return createHmac('sha256', secret).update(encodedPayload).digest();
}

/** A fresh random nonce for a new link. */
export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function signApprovalToken(payload: ApprovalTokenPayload, secret: string): string {
  assertSecret(secret);
  const p = ApprovalTokenPayloadSchema.parse(payload);
  const encoded = Buffer.from(JSON.stringify(p)).toString('base64url');
  return `${encoded}.${mac(secret, encoded).toString('base64url')}`;
}

/** Checks shape, signature (constant time) and expiry; `now` is a Date so tests control time. */
export function verifyApprovalToken(token: string, secret: string, now: Date): VerifyResult {
  assertSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return { ok: false, error: 'malformed' };
  const [encoded, sig] = parts;
  const expected = mac(secret, encoded);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  const parsed = ApprovalTokenPayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: 'malformed' };
  if (parsed.data.exp * 1000 <= now.getTime()) return { ok: false, error: 'expired' };
  return { ok: true, payload: parsed.data };
}
