/**
 * Records the replay fixtures in test/fixtures/histories: real releases, one per outcome path, run
 * on a real Temporal dev server (its own, in memory) with the real gateway, SMTP catcher and SQLite
 * registry of the test harness. Each workflow's history (and its rollout child's) is written in the
 * SDK's history JSON format, which `Worker.runReplayHistories` reads back.
 *
 *   node --import tsx scripts/record-history.ts            # all scenarios
 *   node --import tsx scripts/record-history.ts promoted   # only the named ones
 *
 * Re-record only when a workflow change is deliberate AND guarded by `patched()`; otherwise the
 * old fixtures are exactly what proves the change is safe for releases already running.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDevServer } from '../src/temporal/dev-server';
import { freePort } from '../src/temporal/free-port';
import { rollbackWorkflow } from '../src/workflows/rollback';
import { statusQuery } from '../src/workflows/messages';
import { monitorRepointSignal, monitorStatusQuery } from '../src/workflows/monitor-messages';
import { ModelSpecSchema } from '../src/domain/spec';
import { generateSyntheticCredit } from '../src/domain/data/synthetic-credit';
import { ADMIN_TOKEN, creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../test/helpers/release-env';
import { promoteUnderTraffic } from '../test/helpers/promote';
import { createGatewayAdmin } from '../src/adapters/gateway/gateway-admin';
import { routingOf } from '../test/integration/rollout/rollout-fixtures';
import { resolveTemporalBinary } from '../src/temporal/binaries';
import { abSpec, seededUsers } from '../test/helpers/ab-users';

/** The Temporal CLI, resolved from this process's environment (tests and benches are edges). */
const temporalCli = () => resolveTemporalBinary('cli', { env: process.env }).path;

export const FIXTURE_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories');

/** A handle records its history and its children's under the scenario's name; a named one under its own name, alone. */
type Recorded = WorkflowHandle | { file: string; handle: WorkflowHandle };
type Scenario = (env: ReleaseEnv, model: string) => Promise<Recorded[]>;

const stageOf = (h: WorkflowHandle) => () => h.query(statusQuery);

/** Deploy gate approved, canary with traffic, promote gate answered with `promote`. */
async function throughRollout(env: ReleaseEnv, model: string, h: WorkflowHandle, promote: 'approve' | 'reject'): Promise<void> {
  await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
  await env.decide(h, 'deploy', 'alice@example.com');
  const ac = new AbortController();
  const traffic = env.traffic(model, 60_000, 80, { signal: ac.signal });
  await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_promote_approval', 90_000);
  await env.decide(h, 'promote', 'bob@example.com', promote);
  await h.result();
  ac.abort();
  await traffic;
}

function start(env: ReleaseEnv, model: string, n: number, spec = creditSpec(model), shortSteps?: 'local' | 'activities') {
  return env.startRelease(spec, { id: `release-${model}-r${n}`, ...(shortSteps ? { shortSteps } : {}) });
}

/** Predictions through the real gateway, then their observed outcomes (equal to the prediction) through the feedback endpoint. */
async function labelPredictions(env: ReleaseEnv, model: string): Promise<void> {
  const rows = generateSyntheticCredit({ rows: 30, seed: 7 });
  const res = await fetch(`${env.gatewayUrl}/v1/models/${model}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
  const body = (await res.json()) as { predictionIds: string[]; predictions: Array<{ label: string }> };
  const feedback = body.predictionIds.map((predictionId, i) => ({ predictionId, outcome: body.predictions[i]!.label }));
  const posted = await fetch(`${env.gatewayUrl}/v1/models/${model}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback }) });
  if (posted.status !== 200) throw new Error(`feedback answered ${posted.status}`);
}

/** The monitor's runs from the first to the one `handle` names, following continue-as-new back. */
async function monitorRuns(client: Client, workflowId: string, runId: string): Promise<{ first: WorkflowHandle; last: WorkflowHandle }> {
  const last = client.workflow.getHandle(workflowId, runId);
  let first = last;
  for (;;) {
    const started = (await first.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    if (!started?.continuedExecutionRunId) return { first, last };
    first = client.workflow.getHandle(workflowId, started.continuedExecutionRunId);
  }
}

const trainerSeed = (seed: number) => ({ trainer: { kind: 'builtin' as const, params: { epochs: 60, learningRate: 0.2 }, seed } });

export const SCENARIOS: Record<string, Scenario> = {
  async promoted(env, model) {
    const h = await start(env, model, 1);
    await throughRollout(env, model, h, 'approve');
    return [h];
  },
  /** The same path with the short registry steps as local activities (the local-short-steps-patches-first marker). */
  async 'promoted-local-steps'(env, model) {
    const h = await start(env, model, 1, creditSpec(model), 'local');
    await throughRollout(env, model, h, 'approve');
    return [h];
  },
  async 'rejected-offline'(env, model) {
    const h = await start(env, model, 1, creditSpec(model, { offline: { thresholds: [{ metric: 'auc', op: '>=', value: 0.999 }] } }));
    await h.result();
    return [h];
  },
  async 'rejected-at-deploy-gate'(env, model) {
    const h = await start(env, model, 1);
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(h, 'deploy', 'alice@example.com', 'reject');
    await h.result();
    return [h];
  },
  async 'promote-gate-rejected-rolled-back'(env, model) {
    await throughRollout(env, model, await start(env, model, 1), 'approve');
    const h = await start(env, model, 2, creditSpec(model, trainerSeed(11)));
    await throughRollout(env, model, h, 'reject');
    return [h];
  },
  async 'cancelled-mid-rollout'(env, model) {
    const h = await start(env, model, 1, creditSpec(model, { strategy: { kind: 'canary', steps: [50, 100], stepBake: '30s', postPromotionWatch: '1s' } }));
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(h, 'deploy', 'alice@example.com');
    await waitForStage(stageOf(h), (s) => s.stage === 'rollout');
    await new Promise((r) => setTimeout(r, 2_000)); // let the rollout set the first canary step
    await h.cancel();
    await h.result().catch(() => undefined); // ends failed(cancelled) by design
    return [h];
  },
  /** Run with the SMTP relay down (see MAIL_DOWN): the workflow's own mail retries fail, then the gate rejects. */
  async 'mail-relay-down'(env, model) {
    const h = await start(env, model, 1, creditSpec(model, { approval: { approvers: ['alice@example.com', 'bob@example.com'], mailRetry: { attempts: 2, initialInterval: '300ms' } } }));
    await waitForStage(stageOf(h), (s) => s.notifications[0]?.state === 'failed');
    await env.decide(h, 'deploy', 'alice@example.com', 'reject');
    await h.result();
    return [h];
  },
  /**
   * The SLO guard (monitor-slo-guard marker): two promotions, an error fault on the champion rolls it
   * back to previous; then a manual rollback the monitor was not re-pointed for (the
   * monitor-reason-follows-champion marker). The monitor is cancelled and its run recorded.
   */
  async 'monitor-guard'(env, model) {
    const spec = (epochs: number) => creditSpec(model, { trainer: { kind: 'builtin', params: { epochs, learningRate: 0.2 }, seed: 7 }, monitor: { period: '1s', periodsPerRun: 1000, retrainOnDrift: false } });
    const first = (await promoteUnderTraffic(env, spec(90))).result.artifactId!;
    const second = (await promoteUnderTraffic(env, spec(110))).result.artifactId!;
    const monitor = env.client.workflow.getHandle(`monitor-${model}`);
    const status = () => monitor.query(monitorStatusQuery);
    const admin = createGatewayAdmin({ adminUrl: env.gatewayAdminUrl, token: ADMIN_TOKEN });
    await admin.injectFault({ model, version: second, errorRate: 0.5 });
    const traffic = env.flowingTraffic(model, { rps: 100 });
    try {
      await waitForStage(status, (s) => (s.carry.guardEvents ?? []).some((e) => e.rollbackId !== null) && s.last?.status === 'checked' && s.last.champion === first, 300_000);
      await admin.clearFaults(model);
      await env.client.workflow.execute(rollbackWorkflow, { taskQueue: env.taskQueue, workflowId: `rollback-${model}-r1`, args: [{ model, toArtifact: second, requester: 'dave@example.com', reason: 'drill' }] });
      await waitForStage(status, (s) => s.target.reason.startsWith('champion changed'), 120_000);
    } finally {
      await traffic.stop();
    }
    const { runId } = await monitor.describe();
    await env.client.workflow.getHandle(monitor.workflowId, runId).cancel();
    await env.client.workflow.getHandle(monitor.workflowId, runId).result().catch(() => undefined); // ends cancelled by design
    return [{ file: 'monitor-guard', handle: env.client.workflow.getHandle(monitor.workflowId, runId) }];
  },
  /** A promotion that starts `monitor-<model>` (the monitor-on-promotion marker); the monitor runs past continue-as-new, then is cancelled. */
  async 'promoted-with-monitor'(env, model) {
    const h = await start(env, model, 1, creditSpec(model, { monitor: { period: '1s', periodsPerRun: 2, retrainOnDrift: false } }));
    await throughRollout(env, model, h, 'approve');
    const traffic = env.flowingTraffic(model, { rps: 50 });
    const monitor = env.client.workflow.getHandle(`monitor-${model}`);
    await waitForStage(() => monitor.query(monitorStatusQuery), (s) => s.carry.runs >= 2 && s.periodsThisRun >= 1, 120_000);
    await traffic.stop();
    const { runId } = await monitor.describe();
    await env.client.workflow.getHandle(monitor.workflowId, runId).cancel();
    await env.client.workflow.getHandle(monitor.workflowId, runId).result().catch(() => undefined); // ends cancelled by design
    const runs = await monitorRuns(env.client, monitor.workflowId, runId);
    return [h, { file: 'monitor-first-run', handle: runs.first }, { file: 'monitor-after-continue-as-new', handle: runs.last }];
  },
  /** A re-point signal to a running monitor (the monitor-repoint-rearms-at-signal marker), then a few more periods. */
  async 'monitor-repointed'(env, model) {
    const spec = creditSpec(model, { monitor: { period: '1s', periodsPerRun: 50, retrainOnDrift: false } });
    const h = await start(env, model, 1, spec);
    await throughRollout(env, model, h, 'approve');
    const traffic = env.flowingTraffic(model, { rps: 50 });
    const monitor = env.client.workflow.getHandle(`monitor-${model}`);
    await waitForStage(() => monitor.query(monitorStatusQuery), (s) => s.periodsThisRun >= 2, 120_000);
    await monitor.signal(monitorRepointSignal, { spec: ModelSpecSchema.parse(spec), specDir: env.dataDir, codeVersion: 'fixture', reason: 'fixture re-point' });
    await waitForStage(() => monitor.query(monitorStatusQuery), (s) => s.target.reason === 'fixture re-point' && s.periodsThisRun >= 5, 120_000);
    await traffic.stop();
    const { runId } = await monitor.describe();
    await env.client.workflow.getHandle(monitor.workflowId, runId).cancel();
    await env.client.workflow.getHandle(monitor.workflowId, runId).result().catch(() => undefined); // ends cancelled by design
    return [{ file: 'monitor-repointed', handle: env.client.workflow.getHandle(monitor.workflowId, runId) }];
  },
  /** A KPI bake (the kpi-bake marker): late labels that agree with the predictions, then the promote gate. */
  async 'kpi-bake-promoted'(env, model) {
    const h = await start(env, model, 1, creditSpec(model, {
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '4s', kpiBake: { bake: '60s', checkEvery: '300ms', onInconclusive: 'hold' } },
      monitor: { minLabels: 20, minOnlineAccuracy: 0.6, retrainOnDrift: false },
    }));
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(h, 'deploy', 'alice@example.com');
    const traffic = env.flowingTraffic(model);
    await waitForStage(stageOf(h), (s) => s.stage === 'kpi_bake' && s.kpi !== undefined, 120_000);
    await traffic.stop();
    await labelPredictions(env, model);
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_promote_approval', 60_000);
    await env.decide(h, 'promote', 'bob@example.com');
    await h.result();
    return [h];
  },
  /** The metrics source down past consecutiveErrorLimit: an `error` verdict held for a human (onMetricsError: hold, the 'metrics-error-verdict' marker), then promoted. */
  async 'metrics-error-held'(env, model) {
    await throughRollout(env, model, await start(env, model, 1), 'approve'); // a champion, so the canary has a baseline
    const h = await start(env, model, 2, creditSpec(model, {
      ...trainerSeed(13),
      strategy: { kind: 'canary', steps: [50], stepBake: '20s', postPromotionWatch: '1s' },
      slo: { minSamples: 30, maxP99LatencyMs: 500, inconclusiveAfter: '60s', onMetricsError: 'hold', consecutiveErrorLimit: 1, metricsErrorInterval: '300ms' },
    }));
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(h, 'deploy', 'alice@example.com');
    await waitForStage(stageOf(h), (s) => s.stage === 'rollout');
    await waitForStage(() => routingOf(env, model), (r) => r?.candidate?.weight === 50);
    await env.stopGateway();
    await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_promote_approval', 90_000);
    await env.startGateway();
    await env.decide(h, 'promote', 'bob@example.com');
    await h.result();
    return [h];
  },
  /** An A/B release (the ab-experiment marker) whose candidate converts far worse: the loser rolls back by itself. */
  async 'ab-loser-rolled-back'(env, model) {
    await throughRollout(env, model, await start(env, model, 1), 'approve'); // a champion: the control arm
    const h = await start(env, model, 2, abSpec(model));
    const gated = await waitForStage(stageOf(h), (s) => s.stage === 'awaiting_deploy_approval');
    await env.decide(h, 'deploy', 'alice@example.com');
    await waitForStage(() => routingOf(env, model), (r) => r?.stickyRequired === true);
    await seededUsers(env, model, { candidate: gated.artifactId!, rates: { candidate: 0.2, control: 0.8 }, seed: 3, done: async () => (await h.query(statusQuery)).stage !== 'rollout' });
    await h.result();
    return [h];
  },
  async 'manual-rollback'(env, model) {
    await throughRollout(env, model, await start(env, model, 1), 'approve');
    await throughRollout(env, model, await start(env, model, 2, creditSpec(model, trainerSeed(12))), 'approve');
    const h = await env.client.workflow.start(rollbackWorkflow, {
      taskQueue: env.taskQueue,
      workflowId: `rollback-${model}-1`,
      args: [{ model, requester: 'carol@example.com', reason: 'recorded fixture' }],
    });
    await h.result();
    return [h];
  },
};

// The same paths since the 'rollout-in-release' patch: the rollout runs in the release, with no child.
SCENARIOS['promoted-rollout-in-release'] = SCENARIOS.promoted;
SCENARIOS['cancelled-mid-rollout-in-release'] = SCENARIOS['cancelled-mid-rollout'];
SCENARIOS['ab-loser-rolled-back-in-release'] = SCENARIOS['ab-loser-rolled-back'];

/** Scenarios recorded with nothing listening on the SMTP port, as with a relay that is down. */
const MAIL_DOWN: ReadonlySet<string> = new Set(['mail-relay-down']);

/** The run's history plus each child's (the rollout), keyed by fixture file name. */
async function histories(client: Client, name: string, recorded: Recorded[]): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const r of recorded) {
    if ('file' in r) {
      out.push([r.file, historyToJSON(await r.handle.fetchHistory())]);
      continue;
    }
    const h = r;
    const history = await h.fetchHistory();
    out.push([name, historyToJSON(history)]);
    const children = (history.events ?? []).filter((e) => e.childWorkflowExecutionStartedEventAttributes);
    for (const [i, e] of children.entries()) {
      const wf = e.childWorkflowExecutionStartedEventAttributes!.workflowExecution!;
      const child = await client.workflow.getHandle(wf.workflowId!, wf.runId!).fetchHistory();
      out.push([`${name}-rollout${children.length > 1 ? `-${i + 1}` : ''}`, historyToJSON(child)]);
    }
  }
  return out;
}

async function main(only: string[]): Promise<void> {
  const server = await startDevServer({ binaryPath: temporalCli(), port: await freePort(), headless: true, startTimeoutMs: 180_000 });
  // The harness reads the server address from here (it normally comes from jest's global setup).
  process.env.MLGATE_TEST_TEMPORAL_ADDRESS = server.address;
  const env = await openReleaseEnv();
  let mailDownEnv: ReleaseEnv | undefined;
  mkdirSync(FIXTURE_DIR, { recursive: true });
  try {
    for (const [name, run] of Object.entries(SCENARIOS)) {
      if (only.length > 0 && !only.includes(name)) continue;
      const scenarioEnv = MAIL_DOWN.has(name) ? (mailDownEnv ??= await openReleaseEnv({ smtpPort: await freePort() })) : env;
      const handles = await run(scenarioEnv, `fx-${name}`);
      for (const [file, json] of await histories(env.client, name, handles)) {
        writeFileSync(path.join(FIXTURE_DIR, `${file}.json`), `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
        console.log(`recorded ${file}.json`);
      }
    }
  } finally {
    await mailDownEnv?.close();
    await env.close();
    await server.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
