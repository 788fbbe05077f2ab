/** The approval email: subject, plain text and HTML with the evidence and a personal link. Pure, no I/O. */
import { z } from 'zod';
import type { GateName } from '../spec';
import { escapeHtml } from './html';
import { renderEvidenceHtml, renderEvidenceText } from './evidence-html';
import type { Evidence } from './views';

export const EmailKind = { opened: 'opened', reminder: 'reminder', escalation: 'escalation' } as const;
export type EmailKind = (typeof EmailKind)[keyof typeof EmailKind];
export const EmailKindSchema = z.enum(EmailKind);

export type ApprovalEmailInput = {
  kind: EmailKind;
  releaseId: string;
  model: string;
  gate: GateName;
  approver: string;
  evidence: Evidence;
  /** The personal, signed link: `<publicUrl>/approve/<token>`. */
  link: string;
  /** ISO time the gate times out, when it has a deadline. */
  deadline?: string;
};

export type RenderedEmail = { subject: string; text: string; html: string };

const PREFIX: Record<EmailKind, string> = { opened: 'Approval needed', reminder: 'Reminder: approval needed', escalation: 'Escalated: approval needed' };

export function approvalLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/approve/${encodeURIComponent(token)}`;
}

export function renderApprovalEmail(i: ApprovalEmailInput): RenderedEmail {
  const subject = `[mlgate] ${PREFIX[i.kind]}: ${i.gate} gate of ${i.releaseId}`;
  const why = i.kind === 'escalation' ? 'The gate timed out without a quorum and was escalated to you.' : `You are an approver of the ${i.gate} gate.`;
  const deadline = i.deadline ? `It times out at ${i.deadline}.` : '';
  const text = [
    `Release ${i.releaseId} (model ${i.model}) waits at the ${i.gate} gate.`,
    why,
    ...(deadline ? [deadline] : []),
    '',
    renderEvidenceText(i.evidence),
    '',
    `Review the evidence and approve or reject (this link is personal to ${i.approver}; do not forward it):`,
    i.link,
  ].join('\n');
  const html = [
    `<p>Release <strong>${escapeHtml(i.releaseId)}</strong> (model ${escapeHtml(i.model)}) waits at the <strong>${escapeHtml(i.gate)}</strong> gate.</p>`,
    `<p>${escapeHtml(why)} ${escapeHtml(deadline)}</p>`,
    renderEvidenceHtml(i.evidence, { charts: false }),
    `<p><a href="${escapeHtml(i.link)}">Review and decide</a> (personal to ${escapeHtml(i.approver)}; do not forward).</p>`,
  ].join('\n');
  return { subject, text, html };
}
