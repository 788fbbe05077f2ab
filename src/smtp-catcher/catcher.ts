/**
 * The embedded SMTP catcher: a real SMTP server (smtp-server) that parses every mail
 * (mailparser), keeps it in memory, optionally writes it to `<dataDir>/mailbox/`, and shows it
 * in a small web mailbox. It is the default mail relay on one machine and the inbox in tests.
 */
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { HttpApp } from '../http/http-app';
import type { CaughtMail } from './caught-mail';
import { createMailboxWeb } from './mailbox-web';

export type { CaughtMail } from './caught-mail';

export type MailCatcherOptions = {
  /** 0 picks a free port. @default 0 */
  smtpPort?: number;
  /** 0 picks a free port. @default 0 */
  webPort?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** When set, each mail is also written to `<dataDir>/mailbox/<id>.eml` and `.json`. */
  dataDir?: string;
  /** Largest accepted message. @default 10485760 (10 MiB) */
  maxBytes?: number;
};

export type MailCatcher = {
  start(): Promise<{ smtpPort: number; webUrl: string }>;
  stop(): Promise<void>;
  messages(): CaughtMail[];
  waitFor(predicate: (m: CaughtMail) => boolean, timeoutMs: number): Promise<CaughtMail>;
};

function addresses(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list.flatMap((a: { value?: Array<{ address?: string }> }) => (a.value ?? []).map((x) => x.address ?? '')).filter(Boolean);
}

/** Parses a raw message and, when a data folder is set, writes it as .eml and .json. */
async function catchMail(raw: Buffer, id: string, dataDir?: string): Promise<CaughtMail> {
  const p = await simpleParser(raw);
  const mail: CaughtMail = {
    id, receivedAt: new Date().toISOString(), from: addresses(p.from)[0] ?? '', to: addresses(p.to), subject: p.subject ?? '',
    text: p.text ?? '', html: typeof p.html === 'string' ? p.html : null, messageId: p.messageId ?? null,
  };
  if (dataDir) {
    const dir = join(dataDir, 'mailbox');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${id}.eml`), raw);
    await writeFile(join(dir, `${id}.json`), JSON.stringify(mail, null, 2));
  }
  return mail;
}

function waitForMail(mails: CaughtMail[], events: EventEmitter, predicate: (m: CaughtMail) => boolean, timeoutMs: number): Promise<CaughtMail> {
  const found = mails.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onMail = (m: CaughtMail): void => {
      if (!predicate(m)) return;
      clearTimeout(timer);
      events.off('mail', onMail);
      resolve(m);
    };
    const timer = setTimeout(() => {
      events.off('mail', onMail);
      reject(new Error(`no matching mail within ${timeoutMs} ms (${mails.length} received: ${mails.map((m) => m.subject).join(' | ') || 'none'})`));
    }, timeoutMs);
    events.on('mail', onMail);
  });
}

export function createMailCatcher(o: MailCatcherOptions = {}): MailCatcher {
  const host = o.host ?? '127.0.0.1';
  const mails: CaughtMail[] = [];
  const events = new EventEmitter();
  let seq = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    // Local catcher on loopback: no TLS certificate to manage; real relays use the SMTP adapter's TLS.
    disabledCommands: ['STARTTLS'],
    size: o.maxBytes ?? 10 * 1024 * 1024,
    banner: 'mlgate mail catcher',
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        catchMail(Buffer.concat(chunks), `${Date.now()}-${++seq}`, o.dataDir).then(
          (mail) => {
            mails.push(mail);
            events.emit('mail', mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  let web: HttpApp | undefined;
  return {
    async start() {
      await new Promise<void>((resolve, reject) => {
        smtp.once('error', reject);
        smtp.listen(o.smtpPort ?? 0, host, () => resolve());
      });
      const smtpPort = (smtp.server.address() as { port: number }).port;
      web = createMailboxWeb({ messages: () => mails });
      const webUrl = await web.listen({ host, port: o.webPort ?? 0 });
      return { smtpPort, webUrl };
    },
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await web?.close();
    },
    messages: () => [...mails],
    waitFor: (predicate, timeoutMs) => waitForMail(mails, events, predicate, timeoutMs),
  };
}
