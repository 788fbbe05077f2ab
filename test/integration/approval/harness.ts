/** Starts the real pieces for approval integration tests: SQLite store, SMTP catcher, approvals server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalActivities } from '../../../src/activities/approval/send-approval-emails';
import { createSmtpMailer } from '../../../src/adapters/mailer/smtp';
import { createMailCatcher, type MailCatcher } from '../../../src/smtp-catcher/catcher';
import { createApprovalsServer, type ApprovalsServer } from '../../../src/approvals-server/approvals-server';
import { openApprovalsStore } from '../../../src/adapters/approvals-store/sqlite/approvals-store';
import type { ApprovalsStore } from '../../../src/ports/approvals-store';
import { evidence } from '../../unit/approval/fixtures';
import { specFor } from '../../unit/approval/fixtures';
import { createInMemoryReleases, type InMemoryReleases } from './in-memory-releases';

export const SECRET = 'integration-secret-at-least-thirty-two-bytes';
export const APPROVERS = ['a@x.io', 'b@x.io', 'c@x.io'];

export type Harness = {
  url: string;
  store: ApprovalsStore;
  catcher: MailCatcher;
  releases: InMemoryReleases;
  server: ApprovalsServer;
  /** Adds a high-risk release waiting at its deploy gate and mails its approvers; returns each approver's link. */
  openRelease(releaseId: string, runId?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

/** openStore: the approvals store (PostgreSQL for outage tests). @default SQLite in a temporary folder */
export async function startHarness(o: { openStore?: () => Promise<ApprovalsStore> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mlgate-approvals-'));
  const store = o.openStore ? await o.openStore() : openApprovalsStore({ dataDir: dir });
  const catcher = createMailCatcher({});
  const { smtpPort } = await catcher.start();
  const releases = createInMemoryReleases();
  const server = createApprovalsServer({ secret: SECRET, store, decide: releases, readRelease: releases });
  const { url } = await server.start();
  const mailer = createSmtpMailer({ port: smtpPort, from: 'mlgate@localhost' });
  const { sendApprovalEmails } = createApprovalActivities({ mailer, secret: SECRET, publicUrl: url, store });
  const spec = specFor('high', { approvers: [...APPROVERS, 'dev@x.io'], escalateTo: ['vp@x.io'] });
  return {
    url, store, catcher, releases, server,
    async openRelease(releaseId, runId = 'run-1') {
      const view = releases.add({ releaseId, runId, spec, requester: 'dev@x.io', evidence, at: new Date().toISOString() });
      const gate = view.gates[0];
      await sendApprovalEmails({ releaseId, runId, model: view.model, gate: 'deploy', approvers: gate.approvers, evidence, kind: 'opened', openingId: gate.opening, deadline: gate.deadline });
      const links: Record<string, string> = {};
      for (const a of gate.approvers) {
        const mail = await catcher.waitFor((m) => m.to.includes(a) && m.subject.includes(releaseId), 5000);
        links[a] = /(http:\/\/\S+\/approve\/\S+)/.exec(mail.text)![1];
      }
      return links;
    },
    async close() {
      mailer.close?.();
      await server.stop();
      await catcher.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postForm(link: string, form: Record<string, string>): Promise<Response> {
  return fetch(link, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}
