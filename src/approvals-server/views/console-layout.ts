/** The console's page shell: navigation, who is signed in, the sign-out form, the live script. Pure. */
import { escapeHtml } from '../../domain/approval/html';

/** Who looks at the page, and the CSRF token every form of the page carries. */
export type Viewer = { user: string; csrf: string };

const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa;line-height:1.4}
header.top{display:flex;gap:1.2rem;align-items:center;padding:.6rem 1.5rem;background:#1f2937;color:#fff}
header.top a{color:#fff;text-decoration:none;font-weight:600}header.top nav{display:flex;gap:1rem}header.top a:focus,header.top a:hover{text-decoration:underline}
header.top .who{margin-left:auto;font-size:.9rem}header.top form{display:inline}
main{max-width:1200px;margin:1rem auto;padding:0 1.5rem}h1{font-size:1.5rem;margin:.6rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;margin:.5rem 0;background:#fff}th,td{border:1px solid #d0d4da;padding:.3rem .6rem;text-align:left;vertical-align:top}
caption{font-weight:600;text-align:left;padding:.3rem 0}tr.primary{background:#fff8dc}
.verdict-fail,.no{color:#b42318}.verdict-pass,.yes{color:#067647}.error{border-left:4px solid #b42318;padding:.5rem 1rem;background:#fdf2f2}
.ok{border-left:4px solid #067647;padding:.5rem 1rem;background:#f2fdf5}.dev{background:#fef3c7;border:2px dashed #b45309;padding:.5rem 1rem}
.card{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:.6rem 1rem;margin:.6rem 0}
label{display:block;font-weight:600;margin:.4rem 0 .2rem}input,select,textarea{font:inherit;padding:.3rem}textarea{width:100%;min-height:3.5rem}
button{font:inherit;padding:.35rem 1rem;margin:.3rem .5rem .3rem 0;border:1px solid #1f2937;border-radius:4px;background:#fff;cursor:pointer}
button.primary{background:#1f4fd8;color:#fff;border-color:#1f4fd8}button.danger{background:#b42318;color:#fff;border-color:#b42318}
button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
form.filters{display:flex;gap:1rem;align-items:end;flex-wrap:wrap}.charts svg{margin-right:1rem;background:#fff}.muted{color:#555}
form.review-label{display:flex;gap:.4rem;align-items:center;white-space:nowrap}#review-queue code{overflow-wrap:anywhere}`;

export function csrfField(v: Viewer): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(v.csrf)}">`;
}

export type ConsolePageInput = {
  title: string;
  body: string;
  viewer?: Viewer;
  /** A server-sent-events URL whose messages replace elements of this page by id. */
  live?: string;
  /** A one-line notice at the top (e.g. "Recorded: approved"). */
  notice?: string;
};

export function renderConsolePage(o: ConsolePageInput): string {
  const nav = o.viewer
    ? `<nav aria-label="main"><a href="/">Releases</a> <a href="/my-gates">My gates</a></nav><span class="who">Signed in as <strong id="viewer">${escapeHtml(o.viewer.user)}</strong> <form method="post" action="/sign-out">${csrfField(o.viewer)}<button type="submit">Sign out</button></form></span>`
    : '<span>Sign in</span>';
  const notice = o.notice ? `<div class="ok" id="notice" role="status"><p>${escapeHtml(o.notice)}</p></div>` : '';
  const live = o.live ? ` data-live="${escapeHtml(o.live)}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(o.title)} · mlgate</title><style>${STYLE}</style><script src="/console.js" defer></script></head>`
    + `<body${live}><header class="top"><a href="/">mlgate</a>${nav}</header><main>${notice}${o.body}</main></body></html>`;
}

/** "1 min 5 s", "12.3 s": how long a stage took or has been running. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return min < 60 ? `${min} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** The result of "verify" on a release's audit record. */
export function renderAuditCheckPage(o: { viewer: Viewer; releaseId: string; check: { ok: boolean; problems: string[]; notes: string[] } }): string {
  const list = (xs: string[]) => (xs.length ? `<ul>${xs.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '');
  const verdict = o.check.ok
    ? `<div class="ok" id="audit-result"><p>Verified: the record matches the workflow histories of ${escapeHtml(o.releaseId)}.</p>${list(o.check.notes)}</div>`
    : `<div class="error" id="audit-result"><p>Not verified.</p>${list(o.check.problems)}</div>`;
  return renderConsolePage({ title: `Audit of ${o.releaseId}`, viewer: o.viewer, body: `<h1>Audit record of <a href="/releases/${encodeURIComponent(o.releaseId)}">${escapeHtml(o.releaseId)}</a></h1>${verdict}` });
}

/** An error as a console page, with the same code and message as the JSON error body. */
export function renderConsoleError(o: { status: number; code: string; message: string; problems?: string[] }): string {
  const problems = o.problems?.length ? `<ul>${o.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  return renderConsolePage({ title: `Refused (${o.code})`, body: `<h1>Refused (${escapeHtml(o.code)})</h1><div class="error" id="message" role="alert"><p>${escapeHtml(o.message)}</p>${problems}</div><p><a href="/">Back to the releases</a></p>` });
}
