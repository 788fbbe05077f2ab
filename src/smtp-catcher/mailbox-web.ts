/**
 * The web mailbox of the mail catcher: a list of mails and one page per mail. The HTML body is
 * shown in a sandboxed iframe (no scripts, no same-origin), so a mail cannot act on this page.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { escapeHtml } from '../domain/approval/html';
import type { CaughtMail } from './caught-mail';

const STYLE = 'body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.2rem .6rem;text-align:left}iframe{width:100%;height:60vh;border:1px solid #ccc}pre{white-space:pre-wrap}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function listPage(mails: CaughtMail[]): string {
  const rows = [...mails].reverse().map((m) => `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`).join('');
  return page('mlgate mailbox', `<h1>mlgate mailbox</h1><p>${mails.length} message(s)</p><table><thead><tr><th>received</th><th>to</th><th>subject</th></tr></thead><tbody>${rows}</tbody></table>`);
}

function messagePage(m: CaughtMail): string {
  // srcdoc is an attribute: escaping the HTML once makes the browser parse it back inside the sandbox.
  const html = m.html ? `<h2>HTML</h2><iframe sandbox="" referrerpolicy="no-referrer" srcdoc="${escapeHtml(m.html)}"></iframe>` : '';
  return page(m.subject, `<p><a href="/">← all mail</a></p><h1>${escapeHtml(m.subject)}</h1><p>From ${escapeHtml(m.from)} to ${escapeHtml(m.to.join(', '))} at ${escapeHtml(m.receivedAt)}</p>${html}<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>`);
}

export function createMailboxWeb(o: { messages: () => CaughtMail[] }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'");
  });
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(listPage(o.messages())));
  app.get('/api/messages', async () => o.messages());
  app.get<{ Params: { id: string } }>('/messages/:id', async (req, reply) => {
    const m = o.messages().find((x) => x.id === req.params.id);
    if (!m) return reply.code(404).type('text/html; charset=utf-8').send(page('not found', `<p>No message ${escapeHtml(req.params.id)}.</p>`));
    return reply.type('text/html; charset=utf-8').send(messagePage(m));
  });
  return app;
}
