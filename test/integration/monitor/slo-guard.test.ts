/**
 * The production guard end to end: real Temporal, gateway, traffic, SMTP catcher and SQLite. Faults
 * are injected on the champion after its release (and its post-promotion watch) ended; the monitor
 * must roll back to `previous` with mail and an audit record of cause `slo_breach`, leave a healthy
 * champion alone, roll back once and then only alert when both versions are faulty, and only alert
 * with no previous version. Tests wait on the monitor's own counters, never on wall time.
 */
import { createGatewayAdmin, type GatewayAdmin } from '../../../src/adapters/gateway/gateway-admin';
import { buildAuditRecord } from '../../../src/audit';
import { NOT_THE_MODEL } from '../../../src/domain/monitor/slo-guard';
import { monitorStatusQuery, type MonitorStatus } from '../../../src/workflows/monitor-messages';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, waitForStage, type FlowingTraffic, type ReleaseEnv } from '../../helpers/release-env';
import { promoteUnderTraffic } from '../../helpers/promote';
import { terminateIfRunning, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

describe('the SLO guard in monitor-<model>', () => {
  let env: ReleaseEnv;
  let admin: GatewayAdmin;
  let traffic: FlowingTraffic | undefined;
  const model = unique('guard');
  const spec = (seed: number) => creditSpec(model, {
    trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 70 + 2 * seed, learningRate: 0.2 }, seed },
    monitor: { period: '1s', periodsPerRun: 15, sloBreachesToAct: 2, guardWindow: '1h' },
  });
  const status = () => env.client.workflow.getHandle(`monitor-${model}`).query(monitorStatusQuery);
  const events = (s: MonitorStatus) => s.carry.guardEvents ?? [];
  const rollbacks = async () => (await env.client.workflow.count(`WorkflowType = "rollbackWorkflow" AND mlgateModel = "${model}"`)).count;
  const v: string[] = [];

  beforeAll(async () => {
    env = await openReleaseEnv();
    admin = createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN });
  }, 120_000);
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
    await admin.clearFaults(model);
  });
  afterAll(async () => {
    await terminateIfRunning(env.client, `monitor-${model}`);
    await env?.close();
  });

  async function promote(seed: number): Promise<string> {
    const { result } = await promoteUnderTraffic(env, spec(seed));
    expectOutcome(result, 'promoted');
    await waitForStage(status, (s) => s.last?.status === 'checked' && s.last.champion === result.artifactId, 180_000);
    return result.artifactId!;
  }

  it('with no previous version, only alerts, recorded as "no previous version to roll back to"', async () => {
    v.push(await promote(7));
    await admin.injectFault({ model, version: v[0], errorRate: 0.5 });
    traffic = env.flowingTraffic(model, { rps: 100 });
    const s = await waitForStage(status, (x) => events(x).length > 0, 300_000);
    expect(events(s)).toEqual([expect.objectContaining({ champion: v[0], action: 'alert', note: 'no previous version to roll back to', rollbackId: null })]);
    expect(await rollbacks()).toBe(0);
    const mail = await env.mail.waitFor((m) => m.subject === `[mlgate] ${model}: SLO breach on ${v[0]} (alert only)`, 60_000);
    expect(mail.to.sort()).toEqual(['alice@example.com', 'bob@example.com', 'owner@example.com']);
    expect(mail.text).toMatch(/error rate 0\.\d+ > 0\.02/);
  }, 900_000);

  it('leaves a healthy champion alone over at least 20 periods', async () => {
    v.push(await promote(13));
    traffic = env.flowingTraffic(model, { rps: 100 });
    const start = await status();
    const seen = new Set<string>();
    const s = await waitForStage(status, (x) => {
      if (x.last?.status === 'checked' && !('unavailable' in x.last.slo) && x.last.slo.requests >= 30) seen.add('judged');
      // `last` starts empty in each run after continue-as-new: wait for a checked period to read it.
      return x.carry.totalPeriods - start.carry.totalPeriods >= 20 && seen.has('judged') && x.last?.status === 'checked';
    }, 600_000);
    expect(events(s).filter((e) => e.champion === v[1])).toEqual([]);
    expect(s.last?.status === 'checked' && s.last.champion).toBe(v[1]);
    expect(await rollbacks()).toBe(0);
  }, 1_200_000);

  it('rolls a champion with an error fault back to previous, with mail and the audit cause slo_breach', async () => {
    await admin.injectFault({ model, version: v[1], errorRate: 0.5 });
    traffic = env.flowingTraffic(model, { rps: 100 });
    const s = await waitForStage(status, (x) => events(x).some((e) => e.champion === v[1]) && x.last?.status === 'checked' && x.last.champion === v[0], 300_000);
    const rolled = events(s).find((e) => e.champion === v[1])!;
    expect(rolled).toEqual(expect.objectContaining({ action: 'rollback', to: v[0], rollbackId: `rollback-${model}-slo-${v[1]}-1` }));
    await env.client.workflow.getHandle(rolled.rollbackId!).result();
    const record = await buildAuditRecord({ client: env.client, releaseId: rolled.rollbackId! });
    expect(record.rollback).toEqual(expect.objectContaining({ cause: 'slo_breach', from: v[1], to: v[0], by: 'mlgate-monitor' }));
    expect(JSON.stringify(record.rollback?.evidence)).toMatch(/error rate 0\.\d+ > 0\.02/);
    const mail = await env.mail.waitFor((m) => m.subject === `[mlgate] ${model}: SLO breach on ${v[1]}, rolled back to ${v[0]}`, 60_000);
    expect(mail.text).toContain(`mlgate audit ${rolled.rollbackId}`);
    expect(s.target.reason).toContain(rolled.rollbackId);
  }, 900_000);

  it('with both versions faulty, rolls back once and then only alerts, saying the fault is probably not the model', async () => {
    await admin.injectFault({ model, version: v[0], errorRate: 0.5 });
    await admin.injectFault({ model, version: v[1], errorRate: 0.5 });
    traffic = env.flowingTraffic(model, { rps: 100 });
    const s = await waitForStage(status, (x) => events(x).some((e) => e.champion === v[0] && e.action === 'alert' && e.note === NOT_THE_MODEL) && x.last?.status === 'checked', 300_000);
    expect(s.last?.status === 'checked' && s.last.champion).toBe(v[0]);
    expect(await rollbacks()).toBe(1);
    const mail = await env.mail.waitFor((m) => m.subject === `[mlgate] ${model}: SLO breach on ${v[0]} (alert only)` && m.text.includes('probably not the model'), 60_000);
    expect(mail.to).toContain('owner@example.com');
  }, 900_000);

  it('rolls a champion with a latency fault back to previous, with mail and the audit cause slo_breach', async () => {
    v.push(await promote(21));
    await admin.injectFault({ model, version: v[2], latencyMs: 700 });
    traffic = env.flowingTraffic(model, { rps: 100 });
    const s = await waitForStage(status, (x) => events(x).some((e) => e.champion === v[2]) && x.last?.status === 'checked' && x.last.champion === v[0], 300_000);
    const rolled = events(s).find((e) => e.champion === v[2])!;
    expect(rolled).toEqual(expect.objectContaining({ action: 'rollback', to: v[0], rollbackId: `rollback-${model}-slo-${v[2]}-1` }));
    expect(rolled.breaches.join(' ')).toMatch(/p99 \d+(\.\d+)? ms > 500 ms/);
    await env.client.workflow.getHandle(rolled.rollbackId!).result();
    const record = await buildAuditRecord({ client: env.client, releaseId: rolled.rollbackId! });
    expect(record.rollback).toEqual(expect.objectContaining({ cause: 'slo_breach', from: v[2], to: v[0] }));
    await env.mail.waitFor((m) => m.subject === `[mlgate] ${model}: SLO breach on ${v[2]}, rolled back to ${v[0]}`, 60_000);
  }, 1_200_000);
});
