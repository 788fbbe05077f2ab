/** Order statistics for the benchmark tables (nearest rank: with 10 runs, p95 is the slowest run). */
export interface Spread {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

function rank(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN };
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { n: s.length, median: mid, p95: rank(s, 0.95), min: s[0], max: s[s.length - 1] };
}

export function tableRow(label: string, cells: Array<number | string>, width = 10): string {
  return label.padEnd(46) + cells.map((c) => (typeof c === 'number' ? (Number.isFinite(c) ? c.toFixed(0) : '-') : c).padStart(width)).join('');
}
