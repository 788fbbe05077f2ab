/**
 * `mlgate whatif` on real recorded releases (the real bin against a real Temporal server, gateway
 * and traffic): the watches' per-poll evidence in history is replayed under another policy. The
 * same policy reproduces the recorded decision; a stricter one changes it, naming the step, the
 * time and the check; `--model` lists the releases whose decision would change; a bad policy file
 * gets a clear error naming the field.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listReleases } from '../../../src/audit';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { promoteUnderTraffic } from '../../helpers/promote';
import { temporalAddress, terminateIfRunning, unique } from '../../helpers/temporal';
import { adminOf } from './rollout-fixtures';
import { statusQuery } from '../../../src/workflows/messages';
import { expectOutcome } from '../../helpers/outcome';

const BIN = path.resolve(__dirname, '../../../bin/mlgate.js');

describe('mlgate whatif on recorded releases', () => {
  let env: ReleaseEnv;
  const model = unique('whatif');
  const dir = mkdtempSync(path.join(tmpdir(), 'whatif-'));
  const policy = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  // Asynchronous: the worker runs in this process, and a blocking spawn would stall it.
  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const e = { PATH: process.env.PATH ?? '', MLGATE_TEMPORAL_ADDRESS: temporalAddress(), MLGATE_DATA_DIR: env.dataDir, MLGATE_TASK_QUEUE: env.taskQueue };
      execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: e }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
    });
  let releaseId = '';

  beforeAll(async () => {
    env = await openReleaseEnv();
    const spec = (epochs: number) => creditSpec(model, { trainer: { kind: 'builtin', algorithm: 'logistic-regression', params: { epochs, learningRate: 0.2 }, seed: 7 } });
    // Every version of this model answers 2 ms late (an injected fault, before its deploy): well
    // within the recorded policy's limits, alike for stable and candidate, and over the stricter
    // policy's 1 ms on every request. The model alone answers in microseconds, under the first
    // latency bucket (50 µs), where no limit can tell requests apart.
    const slowBeforeDeploy = async (releaseId: string) => {
      const { artifactId } = await env.client.workflow.getHandle(releaseId).query(statusQuery);
      await adminOf(env).injectFault({ model, version: artifactId!, latencyMs: 2 });
    };
    const champion = await promoteUnderTraffic(env, spec(120), slowBeforeDeploy);
    expectOutcome(champion.result, 'promoted');
    // The second release has a baseline: a 50% step, a 100% step, then the post-promotion watch.
    const candidate = await promoteUnderTraffic(env, spec(110), slowBeforeDeploy);
    expectOutcome(candidate.result, 'promoted');
    releaseId = candidate.id;
  }, 600_000);
  afterAll(async () => {
    if (env) await adminOf(env).clearFaults(model);
    await terminateIfRunning(env.client, `monitor-${model}`);
    await env?.close();
  });

  it('reproduces the recorded decision under the same policy', async () => {
    const r = await cli('whatif', releaseId, '--policy', policy('same.yaml', 'slo: {}\n'), '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { recordedDecision: string; decision: string; changed: boolean; watches: Array<{ label: string; recorded: string; replayed: string; polls: number }> };
    expect(out).toMatchObject({ recordedDecision: 'passed', decision: 'passed', changed: false });
    expect(out.watches.map((w) => w.label)).toEqual(['50% step', '100% step', 'post-promotion watch']);
    for (const w of out.watches) expect(w.polls).toBeGreaterThan(0);
  }, 300_000);

  it('rolls the same release back under a stricter policy, naming the step, the time and the check', async () => {
    // Every served request took 2 ms or more (the injected delay): the stricter p99 limit fails the first step.
    const r = await cli('whatif', releaseId, '--policy', policy('strict.yaml', 'slo:\n  maxP99LatencyMs: 1\n'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${releaseId}: recorded passed; under the policy: rolled_back \\(CHANGED\\)`));
    expect(r.stdout).toMatch(/would have rolled back at the 50% step, [\d.]+ s in, on [a-z0-9-, ]*p99-latency/);
  }, 300_000);

  it('lists the releases of a model whose decision a policy would change', async () => {
    // Visibility is eventually consistent: wait until both closed releases are listed.
    await waitForStage(async () => (await listReleases({ client: env.client, filters: { model } })).filter((x) => x.status === 'COMPLETED').length, (n) => n >= 2, 60_000);
    const r = await cli('whatif', '--model', model, '--since', '1h', '--policy', policy('strict2.yaml', 'slo: { maxP99LatencyMs: 1 }\n'));
    expect(r.stderr).toBe('');
    // The champion's release had no baseline (one 100% step) but still fails the absolute limit.
    expect(r.stdout).toMatch(new RegExp(`^2 closed release\\(s\\) of ${model} since 1h; 2 would decide differently`));
    expect(r.stdout).toContain(`${releaseId}: recorded passed; under the policy: rolled_back (CHANGED)`);
  }, 300_000);

  it('refuses a policy with a misspelt field, naming it, and replays nothing', async () => {
    const r = await cli('whatif', releaseId, '--policy', policy('typo.yaml', 'slo:\n  alpah: 0.1\n'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/typo\.yaml: the policy has 1 problem\(s\):\n\s+- slo: .*alpah/);
  }, 60_000);
});
