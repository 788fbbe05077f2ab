/** HTML escaping for every value that reaches a page or an email. Pure. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Numbers in evidence tables: 4 significant decimals, signed when asked (deltas). */
export function formatNumber(n: number | undefined, opts: { signed?: boolean } = {}): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const s = Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(4);
  return opts.signed && n > 0 ? `+${s}` : s;
}
