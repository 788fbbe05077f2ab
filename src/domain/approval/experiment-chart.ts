/**
 * The A/B experiment on the promote gate's page and email: the KPI difference (candidate - control)
 * over time with its anytime-valid confidence sequence, as an inline SVG like the canary charts,
 * plus the verdict. Pure string rendering.
 */
import { renderLineChart } from './chart-svg';
import { escapeHtml, formatNumber } from './html';
import type { ExperimentEvidence } from './views';

export function renderExperimentChart(e: ExperimentEvidence): string {
  const pts = e.points;
  const line = (pick: (p: (typeof pts)[number]) => number | null) => pts.flatMap((p) => (pick(p) === null ? [] : [{ x: p.t, y: pick(p)! }]));
  const span = pts.length ? [pts[0].t, pts[pts.length - 1].t] : [];
  return renderLineChart({
    title: `${e.kpi} difference (candidate - control), ${formatNumber((1 - e.alpha) * 100)}% confidence sequence`,
    width: 480,
    height: 200,
    series: [
      { name: 'difference', color: '#c0392b', points: line((p) => p.estimate) },
      { name: 'lower bound', color: '#2c3e50', points: line((p) => p.lower), dashed: true },
      { name: 'upper bound', color: '#2c3e50', points: line((p) => p.upper), dashed: true },
      { name: 'no difference', color: '#999999', points: span.map((x) => ({ x, y: 0 })) },
    ],
  });
}

function lastPoint(e: ExperimentEvidence) {
  return e.points[e.points.length - 1];
}

export function renderExperimentSection(e: ExperimentEvidence): string {
  const p = lastPoint(e);
  const counts = p ? `${p.candidateN} candidate and ${p.controlN} control feedback values` : 'no feedback values';
  const head = `<p>A/B experiment on <strong>${escapeHtml(e.kpi)}</strong> (candidate share ${formatNumber(e.candidateShare * 100)}%, minimum effect ${formatNumber(e.minEffect)}, alpha ${formatNumber(e.alpha)}): <strong class="verdict-${escapeHtml(e.verdict)}">${escapeHtml(e.verdict)}</strong>, ${escapeHtml(counts)}.</p>`;
  return `<section id="experiment">${head}<p>${escapeHtml(e.reason)}</p><div class="charts">${renderExperimentChart(e)}</div></section>`;
}

export function renderExperimentText(e: ExperimentEvidence): string[] {
  const p = lastPoint(e);
  const curve = p ? `difference ${formatNumber(p.estimate ?? undefined, { signed: true })}, confidence sequence [${formatNumber(p.lower, { signed: true })}, ${formatNumber(p.upper, { signed: true })}]` : 'no feedback yet';
  return [`A/B experiment (${e.kpi}): ${e.verdict}; ${curve}`, `  ${e.reason}`];
}
