/**
 * Live traffic per version while a release page is open: each sample is the gateway's window
 * (the last few seconds) for every version the model serves, charted as p99 latency, error rate,
 * mean confidence of the scores and shadow agreement. The samples live in the page's stream only.
 * Pure.
 */
import { renderLineChart, type Series } from '../../domain/approval/chart-svg';
import type { WindowSummary } from '../../domain/analysis/window-summary';

export type TrafficSample = { t: number; version: string; p99: number; errorRate: number; meanConfidence: number; requests: number; agreement?: number };

/** At most this many samples per version are kept (the oldest go first). */
const MAX_PER_VERSION = 240;
const COLORS = ['#b42318', '#1f4fd8', '#067647', '#7a2e98'];

/** Adds one window's versions to the samples, as seen `t` seconds after the stream began. */
export function addWindow(samples: TrafficSample[], w: WindowSummary, t: number): void {
  for (const v of w.versions) {
    if (v.requests === 0) continue;
    samples.push({
      t, version: v.version, p99: v.latencyMs.p99, errorRate: v.errors / v.requests, meanConfidence: v.meanConfidence, requests: v.requests,
      ...(v.shadow && v.shadow.compared > 0 ? { agreement: v.shadow.agreed / v.shadow.compared } : {}),
    });
    const mine = samples.filter((s) => s.version === v.version);
    if (mine.length > MAX_PER_VERSION) samples.splice(samples.indexOf(mine[0]), 1);
  }
}

function series(samples: readonly TrafficSample[], candidate: string | undefined, pick: (s: TrafficSample) => number | undefined): Series[] {
  const versions = [...new Set(samples.map((s) => s.version))];
  return versions.map((version, i) => ({
    name: `${version === candidate ? 'candidate' : 'stable'} ${version.replace(/^art-/, '').slice(0, 8)}`,
    color: COLORS[i % COLORS.length],
    dashed: version !== candidate,
    points: samples.filter((s) => s.version === version && pick(s) !== undefined).map((s) => ({ x: s.t, y: pick(s)! })),
  }));
}

export function renderLiveTraffic(samples: readonly TrafficSample[], candidate: string | undefined): string {
  const intro = '<p class="muted">The gateway\'s last 10 s per version, sampled while this page is open.</p>';
  if (samples.length === 0) return `<section id="live-traffic"><h3>Live traffic</h3>${intro}<p>No traffic seen yet.</p></section>`;
  const charts = [
    renderLineChart({ title: 'live p99 latency (ms)', unit: 'ms', series: series(samples, candidate, (s) => s.p99) }),
    renderLineChart({ title: 'live error rate', series: series(samples, candidate, (s) => s.errorRate) }),
    renderLineChart({ title: 'live mean score confidence', series: series(samples, candidate, (s) => s.meanConfidence) }),
  ];
  if (samples.some((s) => s.agreement !== undefined)) charts.push(renderLineChart({ title: 'live shadow agreement', series: series(samples, candidate, (s) => s.agreement) }));
  return `<section id="live-traffic"><h3>Live traffic</h3>${intro}<div class="charts">${charts.join('')}</div></section>`;
}
