import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalActivities } from '../../../src/activities/approval/send-approval-emails';
import { createSmtpMailer } from '../../../src/adapters/mailer/smtp';
import { createMailCatcher, type MailCatcher } from '../../../src/smtp-catcher/catcher';
import { openApprovalsStore } from '../../../src/adapters/approvals-store/sqlite/approvals-store';
import type { ApprovalsStore } from '../../../src/ports/approvals-store';
import { verifyApprovalToken } from '../../../src/approval-links/approval-token';
import { freePort } from '../../../src/temporal/free-port';
import { evidence } from '../../unit/approval/fixtures';

const SECRET = 'integration-secret-at-least-thirty-two-bytes';

describe('mail catcher, SMTP mailer and the approval email activity', () => {
  let dir: string;
  let catcher: MailCatcher;
  let smtpPort: number;
  let webUrl: string;
  let store: ApprovalsStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlgate-mail-'));
    catcher = createMailCatcher({ dataDir: dir });
    ({ smtpPort, webUrl } = await catcher.start());
    store = openApprovalsStore({ dataDir: dir });
  });
  afterAll(async () => {
    await catcher.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const activities = (port: number) =>
    createApprovalActivities({ mailer: createSmtpMailer({ port, from: 'mlgate <mlgate@localhost>', timeoutMs: 3000 }), secret: SECRET, publicUrl: 'http://127.0.0.1:7300', store, linkTtlMs: 3_600_000 });

  test('a mail sent through nodemailer arrives parsed in the catcher and on disk', async () => {
    const mailer = createSmtpMailer({ port: smtpPort, from: 'mlgate <mlgate@localhost>' });
    const { messageId } = await mailer.send({ to: 'a@x.io', subject: 'hello <world>', text: 'plain body', html: '<p onclick="x()">html <b>body</b></p>' });
    const m = await catcher.waitFor((x) => x.messageId === messageId, 5000);
    expect(m).toMatchObject({ to: ['a@x.io'], from: 'mlgate@localhost', subject: 'hello <world>', text: 'plain body' });
    expect(readdirSync(join(dir, 'mailbox')).filter((f) => f.startsWith(m.id)).sort()).toEqual([`${m.id}.eml`, `${m.id}.json`]);
    mailer.close?.();
  });

  test('the web mailbox lists the mail and shows its HTML only inside a sandboxed iframe', async () => {
    const m = catcher.messages().find((x) => x.subject === 'hello <world>')!;
    const list = await (await fetch(`${webUrl}/`)).text();
    expect(list).toContain('hello &lt;world&gt;');
    const page = await (await fetch(`${webUrl}/messages/${m.id}`)).text();
    expect(page).toContain('<iframe sandbox=""');
    expect(page).toContain('srcdoc="&lt;p onclick=&quot;x()&quot;&gt;');
    expect(page).not.toContain('<p onclick');
    expect((await fetch(`${webUrl}/messages/nope`)).status).toBe(404);
  });

  test('each approver gets one mail with a personal signed link for the right release, run and gate', async () => {
    const r = await activities(smtpPort).sendApprovalEmails({ releaseId: 'release-m-1', runId: 'run-1', model: 'm', gate: 'deploy', approvers: ['a@x.io', 'b@x.io'], evidence, kind: 'opened', openingId: 1 });
    expect(r).toEqual({ sent: ['a@x.io', 'b@x.io'], skipped: [] });
    const mail = await catcher.waitFor((x) => x.to[0] === 'b@x.io' && x.subject.includes('release-m-1'), 5000);
    const token = /\/approve\/([A-Za-z0-9_.%-]+)/.exec(mail.text)![1];
    const v = verifyApprovalToken(decodeURIComponent(token), SECRET, new Date());
    expect(v).toMatchObject({ ok: true, payload: { releaseId: 'release-m-1', runId: 'run-1', gate: 'deploy', approver: 'b@x.io' } });
  });

  test('a retried activity for the same opening mails nobody twice, and a new opening mails again', async () => {
    const input = { releaseId: 'release-m-2', runId: 'run-1', model: 'm', gate: 'deploy' as const, approvers: ['a@x.io', 'b@x.io'], evidence, kind: 'opened' as const, openingId: 1 };
    await activities(smtpPort).sendApprovalEmails(input);
    const retry = await activities(smtpPort).sendApprovalEmails(input);
    expect(retry).toEqual({ sent: [], skipped: ['a@x.io', 'b@x.io'] });
    const escalated = await activities(smtpPort).sendApprovalEmails({ ...input, approvers: ['vp@x.io'], kind: 'escalation', openingId: 2 });
    expect(escalated.sent).toEqual(['vp@x.io']);
    await catcher.waitFor((x) => x.to[0] === 'vp@x.io', 5000);
    expect(catcher.messages().filter((x) => x.subject.includes('release-m-2'))).toHaveLength(3);
    expect((await store.emails.list({ releaseId: 'release-m-2' })).map((e) => e.status)).toEqual(['sent', 'sent', 'sent']);
  });

  test('an unreachable relay makes the activity throw a retryable error and records nothing as sent', async () => {
    const deadPort = await freePort();
    const input = { releaseId: 'release-m-3', runId: 'run-1', model: 'm', gate: 'deploy' as const, approvers: ['a@x.io'], evidence, kind: 'opened' as const, openingId: 1 };
    const err = await activities(deadPort).sendApprovalEmails(input).then(() => null, (e: Error) => e);
    // A plain error (not a non-retryable ApplicationFailure): Temporal retries it.
    expect(err?.message).toMatch(/ECONNREFUSED/);
    expect(err).not.toHaveProperty('nonRetryable');
    expect((await store.emails.list({ releaseId: 'release-m-3' })).map((e) => e.status)).toEqual(['sending']);
    expect(await activities(smtpPort).sendApprovalEmails(input)).toEqual({ sent: ['a@x.io'], skipped: [] });
  });

  test('bad activity input fails without retry and names the field', async () => {
    const bad = { releaseId: 'release-m-4', runId: 'run-1', model: 'm', gate: 'ship', approvers: ['a@x.io'], evidence, kind: 'opened', openingId: 1 } as unknown as Parameters<ReturnType<typeof activities>['sendApprovalEmails']>[0];
    await expect(activities(smtpPort).sendApprovalEmails(bad)).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringMatching(/sendApprovalEmails\.gate/) });
  });
});
