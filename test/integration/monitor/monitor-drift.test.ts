/**
 * The monitor end to end on a real Temporal server, gateway, SMTP catcher and SQLite: a real
 * release promotes a model and starts `monitor-<model>`; stable traffic raises nothing over many
 * periods (across continue-as-new); late labels change the KPI verdict; low-confidence predictions
 * land in the review queue; drifted traffic (the generator's drift knob) mails the owner, exports
 * the labels for the next snapshot and starts exactly one retrain release.
 */
import { existsSync, readFileSync } from 'node:fs';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import { labelledRowsPath } from '../../../src/activities/monitor';
import { startRelease } from '../../../src/adapters/release-starter/temporal';
import { statusQuery } from '../../../src/workflows/messages';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { monitorRepointSignal, monitorStatusQuery, type MonitorStatus } from '../../../src/workflows/monitor-messages';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { terminateIfRunning, terminateRunning, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(300_000);

const rowsOf = (drift: number) => generateSyntheticCredit({ rows: 400, seed: 77, drift }) as unknown as Record<string, unknown>[];

describe('monitor workflow with real traffic', () => {
  let env: ReleaseEnv;
  const model = unique('credit-mon');
  const spec = creditSpec(model, {
    reviewConfidenceBelow: 0.75,
    // breachesToAlert (4) > periodsPerRun (2): an alert can only fire if the streak survives continue-as-new.
    monitor: { period: '1s', periodsPerRun: 2, breachesToAlert: 4, rearmAfterStable: 3, drift: { maxPsi: 0.3, alpha: 0.001, minSamples: 50 }, minLabels: 20, minOnlineAccuracy: 0.6 },
  });
  let status: () => Promise<MonitorStatus>;
  let kpiIds: string[] = [];
  let reviewed = '';
  const driftMails = () => env.mail.messages().filter((m) => m.subject.includes(`drift on ${model}`));
  const admin = async (p: string, init: RequestInit = {}) =>
    (await fetch(`${env.gatewayAdminUrl}${p}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } })).json();

  beforeAll(async () => {
    env = await openReleaseEnv();
    status = () => env.client.workflow.getHandle(`monitor-${model}`).query(monitorStatusQuery);
  });
  afterAll(async () => {
    await terminateRunning(env.client, `release-${model}`);
    await terminateIfRunning(env.client, `monitor-${model}`);
    await env?.close();
  });

  it('starts monitor-<model> when a release promotes the model', async () => {
    const handle = await env.startRelease(spec);
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(handle, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model, { rps: 100 });
    await waitForStage(() => handle.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 120_000);
    await env.decide(handle, 'promote', 'bob@example.com');
    const result = await handle.result();
    await traffic.stop();
    expectOutcome(result, 'promoted');
    const s = await waitForStage(status, (x) => x.last?.status === 'checked');
    expect(s.target.reason).toBe(`promoted ${handle.workflowId}`);
    expect(s.last?.status === 'checked' && s.last.champion).toBe(result.artifactId);
  });

  it('raises no alert from stable traffic over many periods, across continue-as-new', async () => {
    const start = await status();
    const traffic = env.flowingTraffic(model, { rps: 100, rows: rowsOf(0) });
    // Wait on the monitor's own counters, however long a busy machine takes to run the periods.
    const verdicts = new Set<string>();
    const s = await waitForStage(status, (x) => {
      if (x.last?.status === 'checked' && x.last.samples > 0) verdicts.add(x.last.drift.verdict);
      return x.carry.totalPeriods - start.carry.totalPeriods >= 7 && x.carry.runs > start.carry.runs && verdicts.has('stable');
    }, 180_000);
    await traffic.stop();
    expect(s.carry.alerts).toEqual([]);
    expect(s.carry.debounce.latched).toBe(false);
    expect(driftMails()).toEqual([]);
  });

  it('changes the KPI verdict when labels arrive late through the feedback endpoint', async () => {
    const rows = rowsOf(0).slice(0, 30);
    const r = (await (await fetch(`${env.gatewayUrl}/v1/models/${model}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) })).json()) as { predictionIds: string[]; predictions: Array<{ label: string }> };
    const before = await waitForStage(status, (x) => x.last?.status === 'checked');
    expect(before.last?.status === 'checked' && before.last.kpi.verdict).toBe('inconclusive');
    kpiIds = r.predictionIds;
    const wrong = r.predictions.map((p) => (p.label === '1' ? '0' : '1'));
    const posted = await fetch(`${env.gatewayUrl}/v1/models/${model}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback: r.predictionIds.map((predictionId, i) => ({ predictionId, outcome: wrong[i] })) }) });
    expect(posted.status).toBe(200);
    const after = await waitForStage(status, (x) => x.last?.status === 'checked' && x.last.kpi.labelled >= 30, 10_000);
    expect(after.last?.status === 'checked' && after.last.kpi).toMatchObject({ verdict: 'fail', onlineAccuracy: 0 });
  });

  it('queues low-confidence predictions of the champion for review without PII, and takes a reviewer label as feedback', async () => {
    const body = (await admin(`/admin/models/${model}/review?limit=1000`)) as { items: Array<{ predictionId: string; confidence: number; inputs: Record<string, unknown> }> };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((i) => i.confidence < 0.75)).toBe(true);
    expect(body.items.every((i) => !('name' in i.inputs) && !('email' in i.inputs) && 'income' in i.inputs)).toBe(true);
    reviewed = body.items.find((i) => !kpiIds.includes(i.predictionId))?.predictionId ?? '';
    const labelled = (await admin(`/admin/models/${model}/review/${encodeURIComponent(reviewed)}/label`, { method: 'POST', body: JSON.stringify({ label: '1', reviewer: 'rita@example.com' }) })) as { status: string };
    expect(labelled.status).toBe('labelled');
  });

  it('mails the owner and starts exactly one drift retrain release when traffic drifts', async () => {
    const traffic = env.flowingTraffic(model, { rps: 100, rows: rowsOf(3) });
    const s = await waitForStage(status, (x) => x.carry.alerts.length > 0, 180_000);
    await traffic.stop();
    expect(s.carry.alerts).toHaveLength(1);
    const alert = s.carry.alerts[0];
    expect(alert.started).toBe(true);
    expect(alert.drifted).toEqual(expect.arrayContaining(['income', 'debt_ratio']));
    const mails = driftMails();
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['owner@example.com']);
    expect(mails[0].text).toContain(`Started retrain release ${alert.releaseId}`);
    expect(existsSync(alert.evidencePath)).toBe(true);
    expect(JSON.parse(readFileSync(alert.evidencePath, 'utf8')).evidence.drift.verdict).toBe('drift');
    const drift = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}" AND mlgateReason = "drift"` })) drift.push(wf.workflowId);
    expect(drift).toEqual([alert.releaseId]);
    expect(alert.releaseId).toMatch(new RegExp(`^release-${model}-\\d+$`));
    const input = (await env.client.workflow.getHandle(alert.releaseId as string).fetchHistory()).events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const started = JSON.parse(Buffer.from(input?.data as Uint8Array).toString()) as { reason: string; reasonDetail: string };
    expect(started).toMatchObject({ reason: 'drift', reasonDetail: `drift evidence: ${alert.evidencePath}` });
    // Labels (the late ones and the reviewer's) were exported for the retrain's snapshot.
    const exported = readFileSync(labelledRowsPath(env.dataDir, model), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alert.labelledRows).toBe(31);
    expect(exported.map((r) => r.prediction_id)).toEqual(expect.arrayContaining([...kpiIds, reviewed]));
    expect(exported.find((r) => r.prediction_id === reviewed)).toMatchObject({ default: 1 });
    expect(exported.every((r) => typeof r.income === 'number' && !('email' in r))).toBe(true);
  });


  it('alerts again after a re-point but starts no retrain while a release of the model is running', async () => {
    // The first retrain trained the same artifact as the champion and ended superseded; this one waits at its deploy gate.
    const manual = await startRelease({ client: env.client, taskQueue: env.taskQueue, input: { spec: ModelSpecSchema.parse(creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 60 }, seed: 13 } })), specDir: env.dataDir, requester: 'carol@example.com', codeVersion: 'test', lockWait: '20s' } });
    await waitForStage(() => manual.query(statusQuery), (x) => x.stage === 'awaiting_deploy_approval');
    await env.client.workflow.getHandle(`monitor-${model}`).signal(monitorRepointSignal, { spec: ModelSpecSchema.parse(spec), specDir: env.dataDir, codeVersion: 'test', reason: 'test re-point' });
    const traffic = env.flowingTraffic(model, { rps: 100, rows: rowsOf(3) });
    const s = await waitForStage(status, (x) => x.carry.alerts.length > 1, 180_000);
    await traffic.stop();
    expect(s.target.reason).toBe('test re-point');
    expect(s.carry.alerts).toHaveLength(2);
    expect(s.carry.alerts[1]).toMatchObject({ started: false, releaseId: manual.workflowId });
    expect(driftMails()).toHaveLength(2);
    expect(driftMails()[1].text).toContain(`Did not start a retrain: release ${manual.workflowId} of this model is already running.`);
    const drift = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}" AND mlgateReason = "drift"` })) drift.push(wf.workflowId);
    expect(drift).toEqual([s.carry.alerts[0].releaseId]);
  });
});
