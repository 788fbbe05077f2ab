/** Page shell for the approvals server's HTML pages. Pure. */
import { escapeHtml } from '../../domain/approval/html';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
th[scope=row],caption{text-align:left}caption{font-weight:600;padding:.3rem 0}tr.primary{background:#fff8dc}
.verdict-fail{color:#c0392b}.verdict-pass{color:#1e8449}.error{border-left:4px solid #c0392b;padding:.5rem 1rem;background:#fdf2f2}
.ok{border-left:4px solid #1e8449;padding:.5rem 1rem;background:#f2fdf5}textarea{width:100%;min-height:4rem}
button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.6rem}.charts svg{margin-right:1rem}`;

export function renderLayout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderMessagePage(o: { title: string; message: string; kind: 'error' | 'ok' }): string {
  return renderLayout(o.title, `<h1>${escapeHtml(o.title)}</h1><div class="${o.kind}" id="message"><p>${escapeHtml(o.message)}</p></div>`);
}
