/** The page behind an approval link: evidence, gate status and the Approve / Reject form. Pure. */
import { approvalCount, type GateState } from '../../domain/approval/gate-state';
import { escapeHtml } from '../../domain/approval/html';
import { renderEvidenceHtml } from '../../domain/approval/evidence-html';
import type { ReleaseView } from '../../domain/approval/views';
import type { GateName } from '../../domain/spec';
import { renderLayout } from './layout';

export type EvidencePageInput = {
  release: ReleaseView;
  gate: GateName;
  approver: string;
  /** Where the form posts: `/approve/<token>`. */
  formAction: string;
};

function gateSummary(g: GateState): string {
  const deadline = g.deadline ? `, times out at ${escapeHtml(g.deadline)}` : '';
  const votes = g.decisions.map((d) => `<li>${escapeHtml(d.approver)}: ${escapeHtml(d.decision)} via ${escapeHtml(d.channel)}${d.comment ? ` (“${escapeHtml(d.comment)}”)` : ''}</li>`).join('');
  return `<p id="gate-status">Gate <strong>${escapeHtml(g.gate)}</strong> is <strong>${escapeHtml(g.status)}</strong>: ${approvalCount(g)} of ${g.required} approvals${deadline}.</p>${votes ? `<ul id="decisions">${votes}</ul>` : ''}`;
}

export function renderEvidencePage(i: EvidencePageInput): string {
  const r = i.release;
  const gate = r.gates.find((g) => g.gate === i.gate);
  const header = `<h1>${escapeHtml(r.releaseId)}: ${escapeHtml(i.gate)} gate</h1><p>Model <strong>${escapeHtml(r.model)}</strong>, risk class <strong>${escapeHtml(r.riskClass)}</strong>, stage ${escapeHtml(r.stage)}, requested by ${escapeHtml(r.requester)}. You are deciding as <strong id="approver">${escapeHtml(i.approver)}</strong>.</p>`;
  const form = `<form method="post" action="${escapeHtml(i.formAction)}" id="decide"><label for="comment">Comment (why)</label><textarea id="comment" name="comment" maxlength="2000"></textarea><p><button type="submit" name="action" value="approve" id="approve">Approve</button><button type="submit" name="action" value="reject" id="reject">Reject</button></p></form>`;
  return renderLayout(`${r.releaseId} ${i.gate} gate`, `${header}${gate ? gateSummary(gate) : ''}${renderEvidenceHtml(r.evidence, { charts: true })}${form}`);
}
