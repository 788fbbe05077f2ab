/**
 * Timer-heavy behaviour on the time-skipping test server (resolved from the PyPI wheel, never
 * downloaded): a gate's 72 h deadline and its 24 h-before reminder pass in seconds of real time.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../../src/activities';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { createMailCatcher, type MailCatcher } from '../../../src/smtp-catcher/catcher';
import { resolveTemporalBinary } from '../../../src/temporal/binaries';
import { registerSearchAttributes } from '../../../src/temporal/register-search-attributes';
import { openActivityDeps, type OpenedActivityDeps } from '../../../src/workers/activity-deps';
import { releaseWorkflow } from '../../../src/workflows/release';
import { statusQuery } from '../../../src/workflows/messages';
import { creditSpec, SECRET } from '../../helpers/release-env';
import { bundleWorkflows, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

describe('gate timers on the time-skipping server', () => {
  const TASK_QUEUE = unique('timeskip');
  let env: TestWorkflowEnvironment;
  let mail: MailCatcher;
  let opened: OpenedActivityDeps;
  let dataDir: string;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: resolveTemporalBinary('test-server', { env: process.env }).path } } });
    await registerSearchAttributes(env.connection, 'default');
    mail = createMailCatcher({ host: '127.0.0.1' });
    const { smtpPort } = await mail.start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-timeskip-'));
    opened = openActivityDeps({
      dataDir, piiSalt: 'time-skipping-salt-0123456789', approvalSecret: SECRET, publicUrl: 'http://127.0.0.1:9',
      // Nothing is deployed in this test: the gateway is never called.
      gatewayAdminUrl: 'http://127.0.0.1:9', adminToken: 'unused-admin-token-0123456789',
      smtp: { host: '127.0.0.1', port: smtpPort, from: 'mlgate <mlgate@test>' }, trainerEnv: { PATH: process.env.PATH },
      temporal: { client: env.client, taskQueue: TASK_QUEUE },
    });
  });
  afterAll(async () => {
    await env?.teardown();
    await mail?.stop();
    opened?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the 24 h reminder and then times the deploy gate out after 72 h, ending the release gate_timed_out with nothing deployed', async () => {
    const taskQueue = TASK_QUEUE;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundleWorkflows(), activities: createActivities(opened.deps) });
    const spec = ModelSpecSchema.parse(creditSpec(unique('timeskip')));
    const status = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(releaseWorkflow, { taskQueue, workflowId: unique('release-timeskip'), args: [{ spec, specDir: dataDir, requester: 'carol@example.com', codeVersion: 'test' }] });
      const result = await handle.result();
      expectOutcome(result, 'gate_timed_out');
      return handle.query(statusQuery);
    });
    const deploy = status.gates.find((g) => g.gate === 'deploy')!;
    expect(deploy.status).toBe('timed_out');
    // The medium-risk default: 72 h (timers fire on the workflow clock, a few ms after the deadline).
    const openMs = Date.parse(deploy.closedAt!) - Date.parse(deploy.openedAt!);
    expect(openMs).toBeGreaterThanOrEqual(72 * 3_600_000);
    expect(openMs).toBeLessThan(72 * 3_600_000 + 60_000);
    const kinds = status.notifications.filter((n) => n.gate === 'deploy').map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['opened', 'reminder']));
    expect(status.stage).toBe('done');
    expect(await opened.deps.pipeline.registry.getAliases(spec.id)).toEqual({ champion: null, previous: null, candidate: null });
  });
});
