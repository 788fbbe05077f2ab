/** The console's list pages: Releases (filters, live table), My gates, and sign-in. Pure. */
import { escapeHtml } from '../../domain/approval/html';
import type { PendingGate } from '../../domain/approval/views';
import type { ReleaseFilters } from '../../domain/audit/releases-query';
import { Outcome, Stage } from '../../domain/release';
import type { ReleaseRow } from '../../ports/console';
import { csrfField, renderConsolePage, type Viewer } from './console-layout';

const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
export const releaseHref = (id: string) => `/releases/${encodeURIComponent(id)}`;
export const modelHref = (model: string) => `/models/${encodeURIComponent(model)}`;

function options(values: readonly string[], selected: string | undefined): string {
  return ['', ...values].map((v) => `<option value="${escapeHtml(v)}"${v === (selected ?? '') ? ' selected' : ''}>${escapeHtml(v || 'any')}</option>`).join('');
}

export function renderReleasesTable(rows: readonly ReleaseRow[]): string {
  if (rows.length === 0) return '<div id="releases"><p>No releases match.</p></div>';
  const body = rows.map((r) => `<tr><td>${link(releaseHref(r.releaseId), r.releaseId)}</td><td>${r.model ? link(modelHref(r.model), r.model) : '-'}</td><td class="stage">${escapeHtml(r.stage ?? '-')}</td><td class="outcome">${escapeHtml(r.outcome ?? '-')}</td><td>${escapeHtml(r.startTime)}</td></tr>`).join('');
  return `<div id="releases"><table><caption>Releases, newest first</caption><thead><tr><th>release</th><th>model</th><th>stage</th><th>outcome</th><th>started</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

export function renderReleasesPage(o: { viewer: Viewer; filters: ReleaseFilters; rows: readonly ReleaseRow[]; live: string }): string {
  const f = o.filters;
  const form = `<form class="filters" method="get" action="/" aria-label="filter releases">
<div><label for="f-model">Model</label><input id="f-model" name="model" value="${escapeHtml(f.model ?? '')}" placeholder="credit-risk"></div>
<div><label for="f-stage">Stage</label><select id="f-stage" name="stage">${options(Object.values(Stage), f.stage)}</select></div>
<div><label for="f-outcome">Outcome</label><select id="f-outcome" name="outcome">${options(Object.values(Outcome), f.outcome)}</select></div>
<div><label for="f-since">Since</label><input id="f-since" name="since" value="${escapeHtml(f.since ?? '')}" placeholder="24h, 7d or an ISO time"></div>
<div><button type="submit">Filter</button></div></form>`;
  return renderConsolePage({ title: 'Releases', viewer: o.viewer, live: o.live, body: `<h1>Releases</h1>${form}<p class="muted">Updates live.</p>${renderReleasesTable(o.rows)}` });
}

export function renderMyGatesPage(o: { viewer: Viewer; pending: readonly PendingGate[] }): string {
  const rows = o.pending.map((p) => `<tr><td>${link(releaseHref(p.releaseId), p.releaseId)}</td><td>${link(modelHref(p.model), p.model)}</td><td>${escapeHtml(p.gate)}</td><td>${p.approvals} of ${p.required}</td><td>${escapeHtml(p.deadline ?? '-')}</td></tr>`).join('');
  const table = rows ? `<table id="my-gates"><caption>Gates waiting on you</caption><thead><tr><th>release</th><th>model</th><th>gate</th><th>approvals</th><th>deadline</th></tr></thead><tbody>${rows}</tbody></table>` : '<p id="my-gates">Nothing waits on you.</p>';
  return renderConsolePage({ title: 'My gates', viewer: o.viewer, body: `<h1>My gates</h1>${table}` });
}

export function renderSignInPage(o: { csrf: string; next: string; devUsers: readonly string[]; error?: string }): string {
  const next = `<input type="hidden" name="next" value="${escapeHtml(o.next)}">`;
  const hidden = `${csrfField({ user: '', csrf: o.csrf })}${next}`;
  const error = o.error ? `<div class="error" role="alert" id="sign-in-error"><p>${escapeHtml(o.error)}</p></div>` : '';
  const dev = o.devUsers.length
    ? `<section class="dev" id="dev-sign-in"><h2>Development sign-in (mlgate dev only)</h2><p>This server runs under <code>mlgate dev</code>: sign in as a demo user without a token. A production server never offers this.</p><form method="post" action="/sign-in">${hidden}${o.devUsers.map((u) => `<button type="submit" name="devUser" value="${escapeHtml(u)}">Sign in as ${escapeHtml(u)}</button>`).join('')}</form></section>`
    : '';
  const form = `<form method="post" action="/sign-in" id="token-sign-in" class="card">${hidden}<label for="token">API token</label><input id="token" name="token" type="password" autocomplete="off" size="70" required><p class="muted">Create one with <code>mlgate token create you@example.com</code>. It is exchanged for a session cookie and not kept.</p><button type="submit" class="primary">Sign in</button></form>`;
  return renderConsolePage({ title: 'Sign in', body: `<h1>Sign in to the mlgate console</h1>${error}${form}${dev}` });
}
