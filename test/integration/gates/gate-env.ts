/**
 * The release test environment plus a real approvals server wired to the Temporal-backed ports,
 * so emailed links point at a server that decides through the workflow's Update. Helpers read
 * links out of the caught mails and decisions out of the workflow history.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { createReleasePorts, type ReleasePorts } from '../../../src/adapters/decisions/temporal';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import type { GateName } from '../../../src/domain/spec';
import type { CaughtMail } from '../../../src/smtp-catcher/catcher';
import { createApprovalsServer, type ApprovalsServer } from '../../../src/approvals-server/approvals-server';
import { freePort } from '../../../src/temporal/free-port';
import { statusQuery } from '../../../src/workflows/messages';
import { creditSpec, openReleaseEnv, SECRET, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { terminateIfRunning, unique } from '../../helpers/temporal';

export { SECRET };

export type MailKind = 'opened' | 'reminder' | 'escalation';
const SUBJECT_PREFIX: Record<MailKind, string> = { opened: '[mlgate] Approval needed:', reminder: '[mlgate] Reminder: approval needed:', escalation: '[mlgate] Escalated: approval needed:' };

export interface GateEnv extends ReleaseEnv {
  approvalsUrl: string;
  ports: ReleasePorts;
  server: ApprovalsServer;
  status(handle: WorkflowHandle): Promise<ReleaseStatus>;
  /** Waits until `pred` holds on the status query. */
  waitStatus(handle: WorkflowHandle, pred: (s: ReleaseStatus) => boolean, timeoutMs?: number): Promise<ReleaseStatus>;
  /** The mail of `kind` for this release and gate that reached `approver`. */
  mailFor(releaseId: string, approver: string, o?: { kind?: MailKind; gate?: GateName; timeoutMs?: number }): Promise<CaughtMail>;
  /** A bearer token for the JSON API, created in the env's approvals store. */
  apiToken(user: string): Promise<string>;
  /** Terminates the releases a test left running (cleanup only; finished ones are left alone). */
  stopAll(handles: WorkflowHandle[]): Promise<void>;
  /** Starts a credit release (spec overrides applied) and waits until its deploy gate is open; close() stops it if still running. */
  atDeployGate(overrides?: Parameters<typeof creditSpec>[1]): Promise<WorkflowHandle>;
}

/** The approval link in a caught mail; the plain-text and HTML parts must carry the same one. */
export function linkFrom(mail: CaughtMail): string {
  const text = /(http:\/\/\S+\/approve\/\S+)/.exec(mail.text)?.[1];
  const html = /href="(http:\/\/[^"]+\/approve\/[^"]+)"/.exec(mail.html ?? '')?.[1];
  if (!text || !html) throw new Error(`mail "${mail.subject}" has no approval link (text: ${Boolean(text)}, html: ${Boolean(html)})`);
  if (text !== html.replace(/&amp;/g, '&')) throw new Error(`mail "${mail.subject}": text link ${text} differs from html link ${html}`);
  return text;
}

/** The arguments of every decide Update the workflow accepted, read from its history. */
export async function acceptedDecisions(handle: WorkflowHandle): Promise<Array<{ approver: string; decision: string; gate: string; channel: string }>> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
    .filter((r) => r?.meta?.updateId !== undefined && r.input?.name === 'decide')
    .map((r) => JSON.parse(Buffer.from(r!.input!.args!.payloads![0].data!).toString('utf8')));
}

/** Names of the signals the workflow received, from its history. */
export async function signalsInHistory(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
}

export function postForm(link: string, form: Record<string, string>): Promise<Response> {
  return fetch(link, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

export async function openGateEnv(o: { smtpDown?: boolean } = {}): Promise<GateEnv> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  // Nothing listens on a fresh free port: the mailer's connection is refused, as with a relay that is down.
  const env = await openReleaseEnv({ publicUrl, ...(o.smtpDown ? { smtpPort: await freePort() } : {}) });
  const ports = createReleasePorts({ client: env.client });
  const server = createApprovalsServer({ port, publicUrl, secret: SECRET, store: env.opened.approvalsStore, decide: ports, readRelease: ports });
  const { url } = await server.start();
  const status = (handle: WorkflowHandle) => handle.query(statusQuery);
  const waitStatus: GateEnv['waitStatus'] = (handle, pred, timeoutMs = 60_000) => waitForStage(() => status(handle), pred, timeoutMs);
  const stopAll: GateEnv['stopAll'] = async (handles) => {
    for (const h of handles) await terminateIfRunning(env.client, h.workflowId, 'test finished');
  };
  const tracked: WorkflowHandle[] = [];
  return {
    ...env,
    approvalsUrl: url,
    ports,
    server,
    status,
    waitStatus,
    mailFor(releaseId, approver, { kind = 'opened', gate = 'deploy', timeoutMs = 20_000 } = {}) {
      const subject = `${SUBJECT_PREFIX[kind]} ${gate} gate of ${releaseId}`;
      return env.mail.waitFor((m) => m.subject === subject && m.to.includes(approver), timeoutMs);
    },
    apiToken: (user) => env.opened.approvalsStore.apiTokens.create(user),
    stopAll,
    async atDeployGate(overrides = {}) {
      const handle = await env.startRelease(creditSpec(unique('credit'), overrides));
      tracked.push(handle);
      await waitStatus(handle, (s) => s.stage === 'awaiting_deploy_approval');
      return handle;
    },
    async close() {
      await stopAll(tracked);
      await server.stop();
      await env.close();
    },
  };
}
