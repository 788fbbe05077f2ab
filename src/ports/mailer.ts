/** Mailer port: one call, one message. Adapters: SMTP via nodemailer (src/adapters/mailer/smtp.ts). */
export type MailMessage = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
};

export type Mailer = {
  /** Resolves once the relay accepted the message; rejects (retryably) when it did not. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close?(): void;
};
