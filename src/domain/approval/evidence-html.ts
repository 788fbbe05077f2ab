/** Evidence tables (candidate vs champion, slices, canary) as HTML and plain text. Pure; shared by the page and the email. */
import { escapeHtml, formatNumber } from './html';
import { renderCanaryCharts } from './chart-svg';
import { renderExperimentSection, renderExperimentText } from './experiment-chart';
import type { Evidence, Metrics } from './views';

function metricNames(...sets: Array<Metrics | undefined>): string[] {
  return [...new Set(sets.flatMap((m) => Object.keys(m ?? {})))].sort();
}

export function renderOfflineTable(e: Evidence): string {
  const o = e.offline;
  const rows = metricNames(o.metrics, o.champion)
    .map((m) => {
      const primary = m === o.primaryMetric ? ' class="primary"' : '';
      return `<tr${primary}><th scope="row">${escapeHtml(m)}</th><td>${formatNumber(o.metrics[m])}</td><td>${formatNumber(o.champion?.[m])}</td><td>${formatNumber(o.delta[m], { signed: true })}</td></tr>`;
    })
    .join('');
  return `<table id="offline"><caption>Offline metrics: candidate vs champion</caption><thead><tr><th>metric</th><th>candidate</th><th>champion</th><th>delta</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderSliceTable(e: Evidence): string {
  const slices = e.offline.slices;
  if (slices.length === 0) return '<p id="slices">No fairness slices configured.</p>';
  const names = metricNames(...slices.map((s) => s.metrics));
  const head = `<tr><th>slice</th><th>n</th>${names.map((n) => `<th>${escapeHtml(n)}</th><th>${escapeHtml(n)} (champion)</th>`).join('')}</tr>`;
  const rows = slices
    .map((s) => `<tr><th scope="row">${escapeHtml(s.slice)}</th><td>${s.count}</td>${names.map((n) => `<td>${formatNumber(s.metrics[n])}</td><td>${formatNumber(s.champion?.[n])}</td>`).join('')}</tr>`)
    .join('');
  return `<table id="slices"><caption>Slices</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

export function renderCanarySection(e: Evidence, opts: { charts: boolean }): string {
  const steps = e.canary?.steps ?? [];
  if (steps.length === 0) return '<p id="canary">No canary has run yet.</p>';
  const rows = steps.map((s) => `<tr><td>${escapeHtml(s.percent)}%</td><td>${s.samples.length}</td><td class="verdict-${escapeHtml(s.verdict)}">${escapeHtml(s.verdict)}</td></tr>`).join('');
  const table = `<table id="canary-steps"><caption>Canary steps</caption><thead><tr><th>traffic</th><th>samples</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`;
  return `<section id="canary">${table}${opts.charts ? `<div class="charts">${renderCanaryCharts(steps)}</div>` : ''}</section>`;
}

/**
 * All evidence as HTML. `charts: false` for email, where many clients drop inline SVG; the A/B
 * experiment's curve is shown in both, since it is what the promote gate decides on (the text
 * part of the email carries its numbers for clients that drop the SVG).
 */
export function renderEvidenceHtml(e: Evidence, opts: { charts: boolean }): string {
  const card = e.modelCardUrl ? `<p><a href="${escapeHtml(e.modelCardUrl)}">Model card</a></p>` : '';
  const experiment = e.experiment ? renderExperimentSection(e.experiment) : '';
  return `${renderOfflineTable(e)}${renderSliceTable(e)}${experiment}${renderCanarySection(e, opts)}${card}`;
}

export function renderEvidenceText(e: Evidence): string {
  const o = e.offline;
  const lines = ['Offline metrics (candidate / champion / delta):'];
  for (const m of metricNames(o.metrics, o.champion)) {
    lines.push(`  ${m}: ${formatNumber(o.metrics[m])} / ${formatNumber(o.champion?.[m])} / ${formatNumber(o.delta[m], { signed: true })}`);
  }
  if (o.slices.length) lines.push('Slices:');
  for (const s of o.slices) lines.push(`  ${s.slice} (n=${s.count}): ${Object.entries(s.metrics).map(([k, v]) => `${k}=${formatNumber(v)}`).join(', ')}`);
  if (e.experiment) lines.push(...renderExperimentText(e.experiment));
  for (const s of e.canary?.steps ?? []) lines.push(`Canary ${s.percent}%: ${s.verdict} (${s.samples.length} samples)`);
  if (e.modelCardUrl) lines.push(`Model card: ${e.modelCardUrl}`);
  return lines.join('\n');
}
