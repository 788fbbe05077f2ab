/**
 * Prediction drift against the champion's test-set scores, end to end on a real Temporal server,
 * gateway, SMTP catcher and SQLite. The evaluation keeps `score-reference.json` beside the artifact;
 * `monitor-<model>` judges its first period against it. Stable traffic raises nothing. Traffic whose
 * upstream stopped sending the two strongest features (the gateway imputes them, and never logs
 * them, so no feature check sees them) shifts the scores: prediction drift alerts from the first
 * period's evidence and starts a retrain. Against the old first-period baseline it would have gone
 * unseen, since the shifted first period would have become the baseline.
 */
import { readFileSync } from 'node:fs';
import { readScoreReference } from '../../../src/activities/score-reference-file';
import type { CheckPeriodResult } from '../../../src/activities/monitor';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import { monitorStatusQuery, type MonitorStatus } from '../../../src/workflows/monitor-messages';
import { promoteUnderTraffic } from '../../helpers/promote';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { terminateIfRunning, terminateRunning, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

jest.setTimeout(600_000);

type Checked = CheckPeriodResult & { status: 'checked' };

const MIN_SAMPLES = 50;
// 2 s periods at 100 rps give about 200 scores each: PSI over ten bins from 50 scores exceeds 0.3
// by chance in about one period in ten (roughly chi-squared(9) / n), which a busy CI host hit.
const monitor = { period: '2s', periodsPerRun: 500, breachesToAlert: 3, retrainOnDrift: true, drift: { maxPsi: 0.3, alpha: 0.001, minSamples: MIN_SAMPLES } };
const MISSING = ['debt_ratio', 'late_payments'];
/** The stable population, with the two columns an upstream stopped sending. */
const shiftedRows = generateSyntheticCredit({ rows: 400, seed: 99 }).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !MISSING.includes(k))));

describe('prediction drift against the stored test-set scores', () => {
  let env: ReleaseEnv;
  const models: string[] = [];
  const status = (model: string) => env.client.workflow.getHandle(`monitor-${model}`).query(monitorStatusQuery);

  /** Every `checkMonitorPeriod` result of the monitor's current run, oldest first, from its history. */
  async function periodResults(model: string): Promise<Checked[]> {
    const events = (await env.client.workflow.getHandle(`monitor-${model}`).fetchHistory()).events ?? [];
    const checks = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkMonitorPeriod').map((e) => String(e.eventId)));
    return events
      .map((e) => e.activityTaskCompletedEventAttributes)
      .filter((a) => a && checks.has(String(a.scheduledEventId)))
      .map((a) => JSON.parse(Buffer.from(a?.result?.payloads?.[0]?.data as Uint8Array).toString()) as CheckPeriodResult)
      .filter((r): r is Checked => r.status === 'checked');
  }
  const judged = (results: Checked[]) => results.filter((r) => r.samples >= MIN_SAMPLES);

  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => {
    for (const model of models) {
      await terminateRunning(env.client, `release-${model}`);
      await terminateIfRunning(env.client, `monitor-${model}`);
    }
    await env?.close();
  });

  it('keeps the test-set scores beside the artifact and raises no alert from stable traffic, judging against them from the first period', async () => {
    const model = unique('pred-stable');
    models.push(model);
    const { result } = await promoteUnderTraffic(env, creditSpec(model, { monitor }));
    expectOutcome(result, 'promoted');
    const stored = await readScoreReference(env.opened.deps.pipeline.artifactStore, result.artifactId as string);
    if (stored.status !== 'found') throw new Error(`no score reference: ${JSON.stringify(stored)}`);
    expect(stored.reference).toMatchObject({ artifactId: result.artifactId, snapshotId: result.snapshotId, source: 'test-set' });
    const traffic = env.flowingTraffic(model, { rps: 100 });
    let results: Checked[];
    try {
      // Wait on the monitor's own results, however long a busy machine takes to run the periods.
      results = await waitForStage(async () => judged(await periodResults(model)), (r) => r.length >= 8, 240_000);
    } finally {
      await traffic.stop();
    }
    expect(results[0].predictionDrift).toMatchObject({ against: 'test-set', referenceCount: stored.reference.scores.count, drifted: false });
    expect(results.every((r) => r.predictionDrift?.against === 'test-set' && r.predictionBaseline === undefined)).toBe(true);
    // No alert means no run of breachesToAlert drifted periods; a lone chance breach is what the debounce is for.
    expect(results.filter((r) => r.predictionDrift?.drifted).length).toBeLessThan(monitor.breachesToAlert);
    expect(results.some((r) => r.drift.verdict === 'stable')).toBe(true);
    const s = await status(model);
    expect(s.carry.alerts).toEqual([]);
    expect(s.carry.predictionBaseline).toBeUndefined();
    expect(env.mail.messages().filter((m) => m.subject.includes(`drift on ${model}`))).toEqual([]);
    await env.client.workflow.getHandle(`monitor-${model}`).terminate('stable check done');
  });

  it('alerts on shifted scores from the first period, with prediction as the drifted column, and starts a retrain', async () => {
    const model = unique('pred-shift');
    models.push(model);
    const { result } = await promoteUnderTraffic(env, creditSpec(model, { monitor }), undefined, { rows: shiftedRows });
    expectOutcome(result, 'promoted');
    const traffic = env.flowingTraffic(model, { rps: 100, rows: shiftedRows });
    let s: MonitorStatus;
    try {
      s = await waitForStage(() => status(model), (x) => x.carry.alerts.length > 0, 240_000);
    } finally {
      await traffic.stop();
    }
    // The first judged period (the canary's rows, read from the start of the log) already drifted against the test set.
    const first = judged(await periodResults(model))[0];
    expect(first.predictionDrift).toMatchObject({ against: 'test-set', drifted: true });
    expect(first.drift).toMatchObject({ verdict: 'drift', drifted: expect.arrayContaining(['prediction']) });
    // The missing columns are never logged, so no feature check sees them: prediction drift is what caught it.
    expect(first.drift.features.map((f) => f.feature).filter((f) => MISSING.includes(f))).toEqual([]);
    const alert = s.carry.alerts[0];
    expect(alert.drifted).toContain('prediction');
    expect(alert.started).toBe(true);
    expect(alert.releaseId).toMatch(new RegExp(`^release-${model}-\\d+$`));
    const evidence = JSON.parse(readFileSync(alert.evidencePath, 'utf8')) as { evidence: Checked };
    expect(evidence.evidence.predictionDrift).toMatchObject({ against: 'test-set', drifted: true });
    const mail = await env.mail.waitFor((m) => m.subject.includes(`drift on ${model}`), 60_000);
    expect(mail.text).toMatch(/- prediction \(scores against \d+ test-set scores\): /);
    expect(mail.text).toContain(`Started retrain release ${alert.releaseId}`);
    const drift = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowType = "releaseWorkflow" AND mlgateModel = "${model}" AND mlgateReason = "drift"` })) drift.push(wf.workflowId);
    expect(drift).toEqual([alert.releaseId]);
  });
});
