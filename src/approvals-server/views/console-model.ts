/** The console's model page: routing, aliases, production timeline, versions, monitor, review queue, rollback. Pure. */
import { escapeHtml, formatNumber } from '../../domain/approval/html';
import { mayOperate } from '../../domain/approval/who-may-act';
import { modelOperators } from '../operations';
import type { ModelPage } from '../../ports/console';
import { csrfField, renderConsolePage, type Viewer } from './console-layout';
import { modelHref, releaseHref } from './console-lists';
import { renderMonitor } from './console-monitor';
import { renderReviewQueue } from './console-review';

function routing(m: ModelPage): string {
  const r = m.routing;
  if (!r) return '<section id="routing"><h2>Routing</h2><p>The gateway does not know this model.</p></section>';
  const cand = r.candidate ? `; candidate <code>${escapeHtml(r.candidate.version)}</code> (${escapeHtml(r.candidate.mode)}${r.candidate.mode === 'canary' ? `, ${r.candidate.weight}%` : ''})` : '; no candidate';
  return `<section id="routing"><h2>Routing</h2><p>Stable <code id="stable-version">${escapeHtml(r.stable?.version ?? 'none')}</code>${cand}; generation ${r.generation}.</p></section>`;
}

function aliases(m: ModelPage): string {
  const rows = Object.entries(m.aliases).map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(v ?? '-')}</code></td></tr>`).join('');
  return `<table id="aliases"><caption>Registry aliases</caption><tbody>${rows}</tbody></table>`;
}

function timeline(m: ModelPage): string {
  const rows = m.timeline.periods.map((p) => {
    const c = p.cause;
    const via = c.releaseId ? (c.releaseId.startsWith('release-') ? `<a href="${releaseHref(c.releaseId)}">${escapeHtml(c.releaseId)}</a>` : escapeHtml(c.releaseId)) : '-';
    return `<tr><td><code>${escapeHtml(p.artifactId ?? '(none)')}</code></td><td>${escapeHtml(p.from)}</td><td>${escapeHtml(p.until ?? 'serving')}</td><td>${escapeHtml(c.kind)}</td><td>${via}</td><td>${escapeHtml(c.actor)}: ${escapeHtml(c.reason)}</td></tr>`;
  }).join('');
  return rows ? `<table id="production-timeline"><caption>Production timeline</caption><thead><tr><th>artifact</th><th>from</th><th>until</th><th>change</th><th>by</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>` : '<p id="production-timeline">Nothing has served yet.</p>';
}

function versions(m: ModelPage): string {
  const rows = m.versions.map((v) => `<tr><td>${v.version}</td><td><code>${escapeHtml(v.artifactId)}</code></td><td>${escapeHtml(v.createdAt)}</td><td>${v.releaseId ? `<a href="${releaseHref(v.releaseId)}">${escapeHtml(v.releaseId)}</a>` : '-'}</td><td><code>${escapeHtml(v.snapshotId ?? '-')}</code></td><td>${Object.entries(v.metrics).map(([k, n]) => `${escapeHtml(k)} ${formatNumber(n)}`).join(', ')}</td></tr>`).join('');
  return `<table id="versions"><caption>Versions and lineage</caption><thead><tr><th>#</th><th>artifact</th><th>registered</th><th>release</th><th>snapshot</th><th>offline metrics</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function rollbackForm(m: ModelPage, v: Viewer): string {
  const check = mayOperate(v.user, modelOperators(m), 'rollback');
  const why = `<p class="may-rollback ${check.ok ? 'yes' : 'no'}">${check.ok ? 'You may roll back' : 'You may not roll back'}: ${escapeHtml(check.why)}.</p>`;
  if (!check.ok) return `<section id="rollback-action"><h2>Roll back</h2>${why}</section>`;
  if (!m.aliases.previous) return `<section id="rollback-action"><h2>Roll back</h2>${why}<p>There is no previous version to roll back to.</p></section>`;
  return `<section id="rollback-action"><h2>Roll back</h2>${why}<form method="post" action="${modelHref(m.model)}/rollback">${csrfField(v)}<label for="reason">Reason (goes into the audit trail)</label><input id="reason" name="reason" required maxlength="500" size="60"><p>Restores <code>${escapeHtml(m.aliases.previous)}</code> in the gateway and the registry.</p><button type="submit" class="danger" id="rollback">Roll back to the previous version</button></form></section>`;
}

function startForm(m: ModelPage, v: Viewer): string {
  if (!m.starters) return '<section id="start"><h2>Start a release</h2><p>This server has no spec for this model; start one with <code>mlgate release &lt;spec file&gt;</code>.</p></section>';
  const check = mayOperate(v.user, m.starters, 'start');
  const why = `<p class="may-start ${check.ok ? 'yes' : 'no'}">${check.ok ? 'You may start a release' : 'You may not start a release'}: ${escapeHtml(check.why)}.</p>`;
  const form = check.ok ? `<form method="post" action="${modelHref(m.model)}/releases">${csrfField(v)}<label for="detail">Why (optional)</label><input id="detail" name="detail" maxlength="500" size="60"><button type="submit" class="primary" id="start-release">Start a release</button></form>` : '';
  return `<section id="start"><h2>Start a release</h2>${why}${form}</section>`;
}

export function renderModelPage(o: { model: ModelPage; viewer: Viewer; notice?: string }): string {
  const m = o.model;
  const latest = m.latest ? `<p>Newest release: <a href="${releaseHref(m.latest.releaseId)}">${escapeHtml(m.latest.releaseId)}</a> (${escapeHtml(m.latest.stage)}${m.latest.outcome ? `, ${escapeHtml(m.latest.outcome)}` : ''}); owner ${escapeHtml(m.latest.owner ?? '-')}.</p>` : '<p>No releases yet.</p>';
  const body = `<h1>Model ${escapeHtml(m.model)}</h1>${latest}${routing(m)}${aliases(m)}${startForm(m, o.viewer)}${rollbackForm(m, o.viewer)}${timeline(m)}${versions(m)}${renderMonitor(m.monitor)}${renderReviewQueue({ model: m.model, queue: m.review, viewer: o.viewer, check: mayOperate(o.viewer.user, modelOperators(m), 'review') })}`;
  return renderConsolePage({ title: `Model ${m.model}`, viewer: o.viewer, body, ...(o.notice ? { notice: o.notice } : {}) });
}
