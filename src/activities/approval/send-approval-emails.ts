/**
 * Approval email activity. Idempotency guard: every (release, run, gate, opening, approver,
 * kind, sequence) is recorded in the approvals SQLite file, and a retried activity skips the
 * approvers already mailed for that opening. A failing relay throws a plain (retryable) error.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { approvalLink, EmailKindSchema, renderApprovalEmail } from '../../domain/approval/email';
import { EvidenceSchema } from '../../domain/approval/views';
import { ErrorType, formatIssues } from '../../domain/errors';
import { GateNameSchema } from '../../domain/spec';
import type { Mailer } from '../../ports/mailer';
import { newNonce, signApprovalToken } from '../../approval-links/approval-token';
import type { ApprovalsStore } from '../../ports/approvals-store';

export const SendApprovalEmailsInputSchema = z.object({
  releaseId: z.string().min(1),
  runId: z.string().min(1),
  model: z.string().min(1),
  gate: GateNameSchema,
  approvers: z.array(z.string().min(1)),
  evidence: EvidenceSchema,
  kind: EmailKindSchema,
  /** The gate opening number (GateState.opening): the idempotency key. */
  openingId: z.number().int().min(0),
  /** Distinguishes several reminders within one opening. @default 0 */
  sequence: z.number().int().min(0).default(0),
  /** ISO time the gate times out; links expire then too (capped by linkTtlMs). */
  deadline: z.string().optional(),
});
export type SendApprovalEmailsInput = z.input<typeof SendApprovalEmailsInputSchema>;
export type SendApprovalEmailsResult = { sent: string[]; skipped: string[] };

export type ApprovalActivitiesOptions = {
  mailer: Mailer;
  /** HMAC secret for approval links (same as the approvals server's). */
  secret: string;
  /** Base URL of the approvals server, e.g. http://127.0.0.1:7300 */
  publicUrl: string;
  store: ApprovalsStore;
  /** Lifetime of an emailed link. @default 259200000 (72 h) */
  linkTtlMs?: number;
  /** @default () => new Date() */
  now?: () => Date;
};

export function createApprovalActivities(o: ApprovalActivitiesOptions) {
  const ttl = o.linkTtlMs ?? 72 * 3_600_000;
  const now = o.now ?? (() => new Date());
  const expiry = (deadline?: string): number => {
    const byTtl = now().getTime() + ttl;
    const byDeadline = deadline ? Date.parse(deadline) : Infinity;
    return Math.floor(Math.min(byTtl, byDeadline) / 1000);
  };

  async function sendApprovalEmails(raw: SendApprovalEmailsInput): Promise<SendApprovalEmailsResult> {
    const parsed = SendApprovalEmailsInputSchema.safeParse(raw);
    if (!parsed.success) {
      throw ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message: formatIssues(parsed.error.issues, 'sendApprovalEmails').join('; ') });
    }
    const i = parsed.data;
    const result: SendApprovalEmailsResult = { sent: [], skipped: [] };
    for (const approver of i.approvers) {
      const key = { releaseId: i.releaseId, runId: i.runId, gate: i.gate, openingId: i.openingId, approver, kind: i.kind, sequence: i.sequence };
      if (await o.store.emails.alreadySent(key)) {
        result.skipped.push(approver);
        continue;
      }
      const token = signApprovalToken({ releaseId: i.releaseId, runId: i.runId, gate: i.gate, approver, exp: expiry(i.deadline), nonce: newNonce() }, o.secret);
      const mail = renderApprovalEmail({
        kind: i.kind, releaseId: i.releaseId, model: i.model, gate: i.gate, approver, evidence: i.evidence, link: approvalLink(o.publicUrl, token),
        deadline: i.deadline,
      });
      const { messageId } = await o.mailer.send({ to: approver, ...mail });
      await o.store.emails.markSent(key, messageId);
      result.sent.push(approver);
    }
    return result;
  }

  return { sendApprovalEmails };
}
export type ApprovalActivities = ReturnType<typeof createApprovalActivities>;
