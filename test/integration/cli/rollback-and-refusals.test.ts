/**
 * `mlgate rollback`, `mlgate approve` and `mlgate audit` as a person runs them (the real bin, no API
 * token) against one embedded mlgate: real Temporal, gateway, SMTP catcher, SQLite, traffic.
 * Nothing to roll back gets one line and starts nothing; a refused CLI decision is in the audit; the
 * monitor's status stops naming the promotion once `mlgate rollback` restored the previous version.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { monitorStatusQuery } from '../../../src/workflows/monitor-messages';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { promoteUnderTraffic } from '../../helpers/promote';
import { temporalAddress, terminateIfRunning, unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

const BIN = path.resolve(__dirname, '../../../bin/mlgate.js');

describe('mlgate rollback, approve and audit on a real stack', () => {
  let env: ReleaseEnv;
  const dataDir = () => env.dataDir;
  const taskQueue = () => env.taskQueue;
  const model = unique('clirb');
  const spec = (seed: number) => creditSpec(model, { trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs: 70 + 2 * seed, learningRate: 0.2 }, seed }, monitor: { period: '1s' } });
  // Asynchronous: the worker runs in this process, and a blocking spawn would stall the workflows the CLI waits on.
  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', MLGATE_TEMPORAL_ADDRESS: temporalAddress(), MLGATE_DATA_DIR: dataDir(), MLGATE_TASK_QUEUE: taskQueue() };
      execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 400_000, maxBuffer: 64 * 1024 * 1024, env }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
    });
  const monitorStatus = () => env.client.workflow.getHandle(`monitor-${model}`).query(monitorStatusQuery);
  const rollbacks = async () => (await env.client.workflow.count(`WorkflowType = "rollbackWorkflow" AND mlgateModel = "${model}"`)).count;
  const firstRelease: { id?: string; artifactId?: string } = {};

  beforeAll(async () => {
    env = await openReleaseEnv();
  }, 120_000);
  afterAll(async () => {
    await terminateIfRunning(env.client, `monitor-${model}`);
    await env?.close();
  });

  async function promote(seed: number, beforeDeploy?: (releaseId: string) => Promise<void>) {
    const { id, result } = await promoteUnderTraffic(env, spec(seed), beforeDeploy);
    expectOutcome(result, 'promoted');
    return { id, artifactId: result.artifactId! };
  }

  it('records in the audit a decision the CLI sent straight as an Update and the release refused', async () => {
    let refusal: Awaited<ReturnType<typeof cli>> | undefined;
    const r = await promote(7, async (id) => {
      refusal = await cli('approve', id, '--gate', 'deploy', '--as', 'carol@example.com', '--comment', 'my own release');
    });
    Object.assign(firstRelease, r);
    expect(refusal?.status).toBe(1);
    expect(refusal?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mlgate: refused \(\w+\): .*/)]);
    const audit = await cli('audit', r.id, '--json');
    expect(audit.stderr).toBe('');
    const record = JSON.parse(audit.stdout) as { refusedAttempts: Array<{ who: string; channel: string; gate: string; source: string }> };
    expect(record.refusedAttempts).toEqual([expect.objectContaining({ who: 'carol@example.com', channel: 'cli', gate: 'deploy', source: 'log' })]);
  }, 600_000);

  it('refuses a rollback with no previous version in one line, exit 2, and starts no workflow', async () => {
    const r = await cli('rollback', model, '--as', 'dave@example.com');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`mlgate: ${model} has no previous version to roll back to; it serves ${firstRelease.artifactId}. Name one with --to <artifact>.`]);
    expect(await rollbacks()).toBe(0);
  }, 120_000);

  it('turns a failed rollback workflow into one line naming the cause, without a stack trace', async () => {
    const r = await cli('rollback', model, '--to', 'art-0000000000000000', '--as', 'dave@example.com');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mlgate: workflow failed: .*art-0000000000000000/);
  }, 450_000);

  it('keeps the monitor status true after mlgate rollback: the reason no longer names the promotion', async () => {
    const second = await promote(13);
    const promoted = await waitForStage(monitorStatus, (s) => s.last?.status === 'checked' && s.last.champion === second.artifactId, 120_000);
    expect(promoted.target.reason).toBe(`promoted ${second.id}`);

    const r = await cli('rollback', model, '--as', 'dave@example.com', '--reason', 'drill');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${model}: now serving ${firstRelease.artifactId} \\(was ${second.artifactId}\\)`));
    const after = await waitForStage(monitorStatus, (s) => s.last?.status === 'checked' && s.last.champion === firstRelease.artifactId, 120_000);
    expect(after.target.reason).toBe(`champion changed to ${firstRelease.artifactId} in the registry (a rollback or another change made outside a release)`);
  }, 900_000);
});
