/**
 * The web mailbox of the mail catcher: a list of mails and one page per mail. The HTML body is
 * shown in a sandboxed iframe (no scripts, no same-origin), so a mail cannot act on this page.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { createHttpApp, type HttpApp } from '../http/http-app';
import { ErrorCode, HttpError } from '../http/http-error';
import { CaughtMailSchema, type CaughtMail } from './caught-mail';
import { escapeHtml } from '../domain/approval/html';

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

const HTML = { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } };

export function createMailboxWeb(o: { messages: () => CaughtMail[] }): HttpApp {
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const app = createHttpApp({
    title: 'mlgate mail catcher',
    description: 'The development mailbox: every mail the SMTP catcher received. Errors: see docs/http.md.',
    htmlError: {
      applies: (req) => !req.url.startsWith('/api/') && req.url !== '/openapi.json',
      render: (reply, err) => html(reply, err.status, page(err.code, `<h1>${escapeHtml(err.code)}</h1><p>${escapeHtml(err.message)}</p>`)),
    },
  }, (scope) => {
    scope.get('/', { schema: { summary: 'All caught mail, newest first', tags: ['mailbox'], response: { 200: HTML } } }, async (_req, reply) => html(reply, 200, listPage(o.messages())));
    scope.get('/api/messages', { schema: { summary: 'All caught mail as JSON, oldest first', tags: ['mailbox'], response: { 200: z.array(CaughtMailSchema) } } }, async () => o.messages());
    scope.get('/messages/:id', {
      schema: { summary: 'One mail: headers, the HTML body in a sandboxed frame, and the text body', tags: ['mailbox'], params: z.object({ id: z.string().min(1) }), response: { 200: HTML } },
    }, async (req, reply) => {
      const m = o.messages().find((x) => x.id === req.params.id);
      if (!m) throw new HttpError(404, ErrorCode.NOT_FOUND, `No message ${req.params.id}; the list is at /.`);
      return html(reply, 200, messagePage(m));
    });
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'");
  });
  return app;
}
