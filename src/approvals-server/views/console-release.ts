/**
 * The console's release page: summary, stage timeline with durations, offline evidence, gates
 * (who may decide, and why the viewer may or may not), canary steps with charts, rollback, cancel
 * and the audit record. `releaseFragments` are the parts the live stream replaces. Pure.
 */
import { approvalCount, type GateState } from '../../domain/approval/gate-state';
import { renderCanarySection, renderOfflineTable, renderSliceTable } from '../../domain/approval/evidence-html';
import { escapeHtml } from '../../domain/approval/html';
import { mayDecide, mayOperate, operatorsOf } from '../../domain/approval/who-may-act';
import type { ReleaseStatus } from '../../domain/release-status';
import { csrfField, formatDuration, renderConsolePage, type Viewer } from './console-layout';
import { modelHref, releaseHref } from './console-lists';
import { renderLiveTraffic } from './console-traffic';

function timeline(s: ReleaseStatus, now: Date): string {
  const rows = s.timeline.map((e, i) => {
    const next = s.timeline[i + 1];
    const end = next ? Date.parse(next.at) : s.outcome ? null : now.getTime();
    const took = end === null ? '-' : `${formatDuration(end - Date.parse(e.at))}${next ? '' : ' so far'}`;
    return `<tr><td>${escapeHtml(e.stage)}</td><td>${escapeHtml(e.at)}</td><td class="duration">${escapeHtml(took)}</td></tr>`;
  }).join('');
  return `<section id="timeline"><h2>Stages</h2><table><thead><tr><th>stage</th><th>started</th><th>took</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function summary(s: ReleaseStatus): string {
  const outcome = s.outcome ? `, outcome <strong class="outcome">${escapeHtml(s.outcome)}</strong>` : '';
  const reasons = s.reasons.length ? `<ul class="reasons">${s.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  return `<section id="release-summary" class="card"><p>Model <a href="${modelHref(s.model)}">${escapeHtml(s.model)}</a>, risk class ${escapeHtml(s.riskClass)}, stage <strong id="stage">${escapeHtml(s.stage)}</strong>${outcome}. Requested by ${escapeHtml(s.requester)}${s.owner ? `, owned by ${escapeHtml(s.owner)}` : ''}; candidate ${escapeHtml(s.artifactId ?? '-')}.</p>${reasons}</section>`;
}

function gateCard(s: ReleaseStatus, g: GateState, v: Viewer): string {
  const decisions = g.decisions.map((d) => `<li>${escapeHtml(d.approver)}: ${escapeHtml(d.decision)} via ${escapeHtml(d.channel)} at ${escapeHtml(d.at)}${d.comment ? `: <q class="comment">${escapeHtml(d.comment)}</q>` : ''}</li>`).join('');
  const check = mayDecide(v.user, g, s);
  const action = `/releases/${encodeURIComponent(s.releaseId)}/gates/${encodeURIComponent(g.gate)}/decisions`;
  const form = check.ok
    ? `<form method="post" action="${escapeHtml(action)}" class="decide">${csrfField(v)}<label for="comment-${escapeHtml(g.gate)}">Comment (why)</label><textarea id="comment-${escapeHtml(g.gate)}" name="comment" maxlength="2000"></textarea><button type="submit" name="decision" value="approve" class="primary">Approve</button><button type="submit" name="decision" value="reject" class="danger">Reject</button></form>`
    : '';
  return `<div class="card gate" data-gate="${escapeHtml(g.gate)}"><h3>${escapeHtml(g.gate)} gate: <span class="gate-status">${escapeHtml(g.status)}</span></h3>`
    + `<p>${approvalCount(g)} of ${g.required} approvals from ${escapeHtml(g.approvers.join(', ') || 'nobody')}${g.deadline ? `; times out at ${escapeHtml(g.deadline)}` : ''}.</p>`
    + `${decisions ? `<ul class="decisions">${decisions}</ul>` : ''}<p class="may-decide ${check.ok ? 'yes' : 'no'}">${check.ok ? 'You may decide' : 'You may not decide'}: ${escapeHtml(check.why)}.</p>${form}</div>`;
}

function gates(s: ReleaseStatus, v: Viewer): string {
  return `<section id="gates"><h2>Gates</h2>${s.gates.map((g) => gateCard(s, g, v)).join('') || '<p>No gates.</p>'}</section>`;
}

function rollback(s: ReleaseStatus): string {
  if (!s.rollback) return '<section id="rollback"><h2>Rollback</h2><p>None.</p></section>';
  const r = s.rollback;
  return `<section id="rollback"><h2>Rollback</h2><p>At ${escapeHtml(r.at)}: <span class="rollback-reason">${escapeHtml(r.reason)}</span></p><details><summary>Evidence</summary><pre>${escapeHtml(JSON.stringify(r.evidence, null, 2))}</pre></details></section>`;
}

function actions(s: ReleaseStatus, v: Viewer): string {
  if (s.outcome) return '<section id="actions"></section>';
  const check = mayOperate(v.user, operatorsOf(s), 'cancel');
  const form = check.ok ? `<form method="post" action="${escapeHtml(`${releaseHref(s.releaseId)}/cancel`)}">${csrfField(v)}<button type="submit" class="danger" id="cancel">Cancel release</button></form>` : '';
  return `<section id="actions"><h2>Cancel</h2><p class="may-cancel ${check.ok ? 'yes' : 'no'}">${check.ok ? 'You may cancel' : 'You may not cancel'}: ${escapeHtml(check.why)}. A cancelled release rolls back whatever it deployed.</p>${form}</section>`;
}

/** The parts of the page that change while a release runs, by element id. */
export function releaseFragments(s: ReleaseStatus, v: Viewer, now: Date): Record<string, string> {
  return {
    'release-summary': summary(s),
    timeline: timeline(s, now),
    gates: gates(s, v),
    canary: renderCanarySection(s.evidence, { charts: true }),
    rollback: rollback(s),
    actions: actions(s, v),
  };
}

export function renderReleasePage(o: { status: ReleaseStatus; viewer: Viewer; now: Date; notice?: string }): string {
  const s = o.status;
  const f = releaseFragments(s, o.viewer, o.now);
  const card = s.evidence.modelCardUrl ? `<p><a href="${escapeHtml(s.evidence.modelCardUrl)}">Model card</a></p>` : '';
  const audit = `<section id="audit"><h2>Audit record</h2><p><a href="${releaseHref(s.releaseId)}/audit.json" download id="audit-download">Download the JSON record</a></p><form method="get" action="${releaseHref(s.releaseId)}/audit/verify"><button type="submit" id="audit-verify">Verify against the workflow history</button></form></section>`;
  const body = `<h1>${escapeHtml(s.releaseId)}</h1>${f['release-summary']}${f.timeline}<h2>Offline evidence</h2>${renderOfflineTable(s.evidence)}${renderSliceTable(s.evidence)}${card}${f.gates}<h2>Rollout</h2>${renderLiveTraffic([], s.artifactId)}${f.canary}${f.rollback}${f.actions}${audit}`;
  return renderConsolePage({ title: s.releaseId, viewer: o.viewer, live: `${releaseHref(s.releaseId)}/live`, body, ...(o.notice ? { notice: o.notice } : {}) });
}
