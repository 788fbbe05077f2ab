/** SMTP mailer on nodemailer: the embedded mail catcher by default, any relay in production. */
import nodemailer from 'nodemailer';
import type { Mailer } from '../../ports/mailer';

export type SmtpMailerOptions = {
  /** @default "127.0.0.1" */
  host?: string;
  port: number;
  /** Implicit TLS (port 465). STARTTLS is still used when the server offers it. @default false */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** Sender address, e.g. `mlgate <mlgate@example.com>`. */
  from: string;
  /** Give up on an unreachable relay after this long, so the activity retries instead of hanging. @default 10000 */
  timeoutMs?: number;
};

export function createSmtpMailer(o: SmtpMailerOptions): Mailer {
  const timeout = o.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: o.host ?? '127.0.0.1',
    port: o.port,
    secure: o.secure ?? false,
    auth: o.auth,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(m) {
      const info = await transport.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
