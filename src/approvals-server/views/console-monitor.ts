/**
 * The model page's monitor section: its status, drift and SLO charts per period (the current run's
 * periods, from its history), the drift alerts and what the SLO guard did. Pure; everything from
 * data is escaped (feature names, notes and errors come from specs and the gateway).
 */
import { escapeHtml } from '../../domain/approval/html';
import { renderLineChart, type Series } from '../../domain/approval/chart-svg';
import type { MonitorPeriod, MonitorSummary } from '../../ports/console';
import { releaseHref } from './console-lists';

type Value = (p: MonitorPeriod) => number | null;

function series(periods: readonly MonitorPeriod[], name: string, color: string, pick: Value, dashed = false): Series {
  return { name, color, dashed, points: periods.flatMap((p) => { const y = pick(p); return y === null ? [] : [{ x: p.period, y }]; }) };
}

const slo = (p: MonitorPeriod) => ('unavailable' in p.slo ? null : p.slo);

function charts(periods: readonly MonitorPeriod[]): string {
  if (periods.length === 0) return '<p class="muted">No period judged in the monitor\'s current run yet.</p>';
  const x = { xLabel: 'period' };
  const drift = renderLineChart({ ...x, title: 'drift per period (PSI)', series: [
    series(periods, 'max feature PSI', '#b42318', (p) => p.maxFeaturePsi),
    series(periods, 'prediction PSI', '#1f4fd8', (p) => p.predictionPsi, true),
  ] });
  const p99 = renderLineChart({ ...x, title: 'SLO: p99 latency per period (ms)', unit: 'ms', series: [series(periods, 'p99', '#7a2e98', (p) => slo(p)?.p99Ms ?? null)] });
  const errors = renderLineChart({ ...x, title: 'SLO: error rate per period', series: [series(periods, 'error rate', '#b42318', (p) => slo(p)?.errorRate ?? null)] });
  const flagged = periods.filter((p) => p.drifted.length > 0 || (slo(p)?.breaches.length ?? 0) > 0 || 'unavailable' in p.slo);
  const notes = flagged.slice(-10).map((p) => {
    const s = 'unavailable' in p.slo ? `SLO unavailable: ${p.slo.unavailable}` : p.slo.breaches.length ? `SLO breached: ${p.slo.breaches.join('; ')}` : 'SLO met';
    return `<li>Period ${p.period} (${escapeHtml(p.at)}): drift ${escapeHtml(p.driftVerdict)}${p.drifted.length ? ` in ${escapeHtml(p.drifted.join(', '))}` : ''}; ${escapeHtml(s)}.</li>`;
  }).join('');
  const intro = `<p class="muted">${periods.length} periods of the monitor's current run (periods ${periods[0].period} to ${periods[periods.length - 1].period}).</p>`;
  return `${intro}<div class="charts" id="monitor-charts">${drift}${p99}${errors}</div>${notes ? `<ul id="monitor-flags">${notes}</ul>` : ''}`;
}

function alerts(m: MonitorSummary): string {
  if (m.alertList.length === 0) return '<p id="monitor-alerts">No drift alerts.</p>';
  const rows = [...m.alertList].reverse().map((a) => {
    const retrain = a.releaseId ? (a.started ? `<a href="${releaseHref(a.releaseId)}">${escapeHtml(a.releaseId)}</a>` : `${escapeHtml(a.releaseId)} (already running)`) : 'none started';
    return `<tr><td>${a.period}</td><td>${escapeHtml(a.at)}</td><td>${escapeHtml(a.drifted.join(', ') || '-')}</td><td>${a.labelledRows}</td><td>${retrain}</td></tr>`;
  }).join('');
  return `<table id="monitor-alerts"><caption>Drift alerts (newest first)</caption><thead><tr><th>period</th><th>at</th><th>drifted</th><th>labelled rows exported</th><th>retrain</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function guard(m: MonitorSummary): string {
  if (m.guardEvents.length === 0) return '<p id="slo-guard">The SLO guard has not acted.</p>';
  const rows = [...m.guardEvents].reverse().map((g) => `<tr><td>${g.period}</td><td>${escapeHtml(g.at)}</td><td><code>${escapeHtml(g.champion)}</code></td><td>${escapeHtml(g.action)}</td><td>${escapeHtml(g.breaches.join('; ') || '-')}</td><td>${escapeHtml(g.note)}</td></tr>`).join('');
  return `<table id="slo-guard"><caption>What the SLO guard did (newest first)</caption><thead><tr><th>period</th><th>at</th><th>champion</th><th>action</th><th>breaches</th><th>note</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderMonitor(s: MonitorSummary | null): string {
  if (!s) return '<section id="monitor"><h2>Monitor</h2><p>No monitor runs for this model.</p></section>';
  const status = `<p>${s.running ? 'Running' : 'Stopped'}: ${s.periods} periods judged, champion ${escapeHtml(s.champion ?? '-')}, ${s.alerts} drift alerts.${s.lastVerdict ? ` Last period: ${escapeHtml(s.lastVerdict)}.` : ''}${s.lastError ? ` Last error: ${escapeHtml(s.lastError)}.` : ''}</p>`;
  return `<section id="monitor"><h2>Monitor</h2>${status}${charts(s.recent)}${alerts(s)}${guard(s)}</section>`;
}
