/**
 * The SLO guard's rollback id on a real Temporal server, real SQLite registry and real SMTP: a
 * retried activity finds the rollback it started, and the same artifact promoted again and breaching
 * again gets a rollback of its own (the id carries the champion's term: earlier it was reused, so
 * the second breach silently "found" the old rollback and nothing was rolled back).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { createSqliteRegistry } from '../../../src/adapters/registry/sqlite';
import { createTemporalRollbackStarter } from '../../../src/adapters/rollback-starter/temporal';
import { createSmtpMailer } from '../../../src/adapters/mailer/smtp';
import { createActOnSloBreach, guardRollbackId, type SloBreachInput } from '../../../src/activities/monitor/slo-guard';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { createMailCatcher } from '../../../src/smtp-catcher/catcher';
import { creditSpec } from '../../helpers/release-env';
import { testClient, terminateIfRunning, unique } from '../../helpers/temporal';

describe('SLO guard rollback ids', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlgate-guard-id-'));
  const registry = createSqliteRegistry({ file: path.join(dir, 'registry.sqlite') });
  const catcher = createMailCatcher();
  const model = unique('guardid');
  // A task queue no worker polls: the rollbacks are started and stay queued, which is all this test asks.
  const taskQueue = unique('nobody');
  let client: Client;
  let connection: Connection;
  let act: ReturnType<typeof createActOnSloBreach>;

  beforeAll(async () => {
    ({ client, connection } = await testClient());
    const { smtpPort } = await catcher.start();
    act = createActOnSloBreach({ registry, mailer: createSmtpMailer({ port: smtpPort, from: 'mlgate <mlgate@localhost>' }), rollbacks: createTemporalRollbackStarter({ client, taskQueue }) });
    for (const [i, a] of ['art-00000000000000a1', 'art-00000000000000b2'].entries()) {
      await registry.registerVersion({
        model, releaseId: `release-${model}-${i + 1}`, artifactId: a, snapshotId: 'snap-00000000000000aa', codeVersion: 'abc', trainer: 'builtin',
        algorithm: 'logistic-regression', params: {}, seed: 1, metrics: { auc: 0.8 }, modelCardPath: '/cards/x.md',
      });
      await registry.promote({ model, releaseId: `release-${model}-${i + 1}`, artifactId: a, actor: 'test', reason: 'test' });
    }
  });
  afterAll(async () => {
    for (const n of [1, 2]) await terminateIfRunning(client, guardRollbackId(model, 'art-00000000000000b2', n));
    await connection?.close();
    await catcher.stop();
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const breach = (period: number): SloBreachInput => ({
    spec: ModelSpecSchema.parse(creditSpec(model)), monitorId: `monitor-${model}`, period, champion: 'art-00000000000000b2', action: { kind: 'rollback' },
    evidence: [{ requests: 200, errorRate: 0.4, p99Ms: 20, breaches: ['error rate 0.4000 > 0.02'] }],
  });
  const rollbacks = async () => {
    const ids: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = "rollbackWorkflow" AND mlgateModel = "${model}"` })) ids.push(w.workflowId);
    return ids.sort();
  };

  it('a retry finds the rollback it started; the same artifact back as champion and breaching again gets a second one', async () => {
    const first = await act(breach(5));
    const retry = await act(breach(5));
    expect([first.rollbackId, retry.rollbackId]).toEqual([`rollback-${model}-slo-art-00000000000000b2-1`, `rollback-${model}-slo-art-00000000000000b2-1`]);
    expect(first).toMatchObject({ action: 'rollback', to: 'art-00000000000000a1' });

    // What the first rollback does (nobody runs it here), then the same artifact promoted again: its second term.
    await registry.rollbackTo({ model, artifactId: 'art-00000000000000a1', actor: 'test', reason: 'the first rollback' });
    await registry.rollbackTo({ model, artifactId: 'art-00000000000000b2', actor: 'test', reason: 'promoted again after a fix' });
    const second = await act(breach(40));
    expect(second).toMatchObject({ action: 'rollback', rollbackId: `rollback-${model}-slo-art-00000000000000b2-2`, to: 'art-00000000000000a1' });
    // Listing is eventually consistent on the dev server's visibility store: wait for both.
    const deadline = Date.now() + 60_000;
    let ids = await rollbacks();
    while (ids.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      ids = await rollbacks();
    }
    expect(ids).toEqual([first.rollbackId, second.rollbackId]);
  });
});
