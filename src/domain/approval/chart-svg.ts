/**
 * Inline SVG line charts of canary evidence (candidate vs baseline). Pure string rendering, so
 * both the approval page and tests use it and the page needs no script or external asset.
 */
import type { CanaryStep } from './views';
import { escapeHtml } from './html';

export type Series = { name: string; color: string; points: Array<{ x: number; y: number }>; dashed?: boolean };

export type LineChartOptions = {
  title: string;
  series: Series[];
  /** @default 360 */
  width?: number;
  /** @default 160 */
  height?: number;
  /** Unit shown after the y max label. @default "" */
  unit?: string;
  /** What the x axis counts. @default "t (s)" */
  xLabel?: string;
};

const PAD = { left: 48, right: 12, top: 22, bottom: 22 };

/** The y range always includes 0; it goes below 0 only for series that do (a KPI difference). */
function bounds(series: Series[]): { x0: number; x1: number; y0: number; y1: number } {
  const pts = series.flatMap((s) => s.points);
  const xs = pts.map((p) => p.x);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const top = Math.max(...pts.map((p) => p.y), 0);
  const bottom = Math.min(...pts.map((p) => p.y), 0);
  const y0 = bottom * 1.1;
  const y1 = top === 0 && bottom === 0 ? 1 : top * 1.1;
  return { x0, x1: x1 === x0 ? x0 + 1 : x1, y0, y1: y1 === y0 ? y0 + 1 : y1 };
}

export function renderLineChart(o: LineChartOptions): string {
  const width = o.width ?? 360;
  const height = o.height ?? 160;
  const usable = o.series.filter((s) => s.points.length > 0);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-label="${escapeHtml(o.title)}">`;
  const title = `<text x="${PAD.left}" y="14" font-size="12" font-family="sans-serif">${escapeHtml(o.title)}</text>`;
  if (usable.length === 0) return `${head}${title}<text x="${PAD.left}" y="${height / 2}" font-size="11">no samples yet</text></svg>`;
  const { x0, x1, y0, y1 } = bounds(usable);
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const px = (x: number): string => (PAD.left + ((x - x0) / (x1 - x0)) * w).toFixed(1);
  const py = (y: number): string => (PAD.top + h - ((y - y0) / (y1 - y0)) * h).toFixed(1);
  const axes = `<line x1="${PAD.left}" y1="${PAD.top + h}" x2="${PAD.left + w}" y2="${PAD.top + h}" stroke="#888"/><line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + h}" stroke="#888"/>`;
  const labels = `<text x="2" y="${PAD.top + 8}" font-size="10">${escapeHtml(Number(y1.toPrecision(3)))}${escapeHtml(o.unit ?? '')}</text><text x="2" y="${PAD.top + h}" font-size="10">${escapeHtml(Number(y0.toPrecision(3)))}</text>`;
  const lines = usable
    .map((s) => {
      const d = s.points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ');
      return `<polyline class="series" data-series="${escapeHtml(s.name)}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${d}"><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join('');
  const xLabel = `<text x="${PAD.left + w}" y="${PAD.top + h + 12}" font-size="9" text-anchor="end">${escapeHtml(o.xLabel ?? 't (s)')}</text>`;
  const legend = usable.map((s, i) => `<text x="${PAD.left + 8 + i * 120}" y="${height - 6}" font-size="10" fill="${escapeHtml(s.color)}">${escapeHtml(s.name)}</text>`).join('');
  return `${head}${title}${axes}${labels}${xLabel}${lines}${legend}</svg>`;
}

/** Latency (p99) and error-rate charts for all canary steps, candidate solid, baseline dashed. */
export function renderCanaryCharts(steps: readonly CanaryStep[]): string {
  const samples = steps.flatMap((s) => s.samples);
  const pts = (pick: (s: (typeof samples)[number]) => number) => samples.map((s) => ({ x: s.t, y: pick(s) }));
  const latency = renderLineChart({
    title: 'p99 latency (ms)',
    unit: 'ms',
    series: [
      { name: 'candidate p99', color: '#c0392b', points: pts((s) => s.candidateP99) },
      { name: 'baseline p99', color: '#2c3e50', points: pts((s) => s.baselineP99), dashed: true },
    ],
  });
  const errors = renderLineChart({
    title: 'error rate',
    series: [
      { name: 'candidate errors', color: '#c0392b', points: pts((s) => s.candidateErrorRate) },
      { name: 'baseline errors', color: '#2c3e50', points: pts((s) => s.baselineErrorRate), dashed: true },
    ],
  });
  return `${latency}${errors}`;
}
