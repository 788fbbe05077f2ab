import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ArtifactRef } from '../../../src/activities/pipeline';
import type { ModelSpec } from '../../../src/domain/spec';
import { creditSpec, pipelineHarness } from './fixtures';

const h = pipelineHarness('ext');
afterAll(() => h.close());
const exampleDir = path.resolve(__dirname, '../../../examples/external-trainer');

function externalSpec(command: string[], extra: { timeout?: string; params?: Record<string, number> } = {}): ModelSpec {
  return creditSpec({ trainer: { kind: 'external', command, params: extra.params ?? { epochs: 30, learningRate: 0.3 }, seed: 7, timeout: extra.timeout ?? '2m' } }, 400);
}

async function snapshot(spec: ModelSpec) {
  return (await h.activities.snapshotDataset({ spec, specDir: h.dataDir })).snapshotId;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('external trainer', () => {
  it('runs the example Python trainer, heartbeats, and stores its bundle and log as the artifact', async () => {
    const spec = externalSpec(['python3', 'train.py']);
    const snapshotId = await snapshot(spec);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const art = (await env.run(h.activities.trainModel, { spec, snapshotId, codeVersion: 'v1', specDir: exampleDir })) as ArtifactRef;
    expect(art).toMatchObject({ trainer: 'external', algorithm: 'python-logistic-regression', params: { epochs: 30, learningRate: 0.3 }, reused: false });
    expect(beats.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(h.artifactStore.location(art.artifactId), 'train.log'), 'utf8')).toMatch(/epoch 30\nwrote bundle with 9 weights/);
    const ev = await h.activities.evaluateCandidate({ spec, snapshotId, artifactId: art.artifactId });
    expect(ev.metrics.auc).toBeGreaterThan(0.6);
    expect(ev.parity.pass).toBe(true);
    const again = (await env.run(h.activities.trainModel, { spec, snapshotId, codeVersion: 'v1', specDir: exampleDir })) as ArtifactRef;
    expect(again.artifactId).toBe(art.artifactId);
  });

  it('fails with a plain retryable error carrying the exit code and the last stderr lines when the trainer exits non-zero', async () => {
    const spec = externalSpec(['python3', '-c', 'import sys; print("starting"); sys.stderr.write("bad things\\nreally bad\\n"); sys.exit(3)']);
    const err = await h.activities.trainModel({ spec, snapshotId: await snapshot(spec), codeVersion: 'v1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toBe('trainer exited with code 3; last stderr lines:\nbad things\nreally bad');
  });

  it('fails with non-retryable TrainerFailed when the trainer writes an invalid bundle', async () => {
    const script = 'import json, os; json.dump({"format": "mlgate-linear/v1", "task": "binary-classification", "weights": "oops"}, open(os.path.join(os.environ["MLGATE_TRAIN_OUTPUT"], "bundle.json"), "w"))';
    const spec = externalSpec(['python3', '-c', script]);
    await expect(h.activities.trainModel({ spec, snapshotId: await snapshot(spec), codeVersion: 'v1' }))
      .rejects.toMatchObject({ type: 'TrainerFailed', nonRetryable: true, message: expect.stringMatching(/bundle.weights: .*expected array/) });
  });

  it('fails with non-retryable TrainerFailed when the command does not exist', async () => {
    const spec = externalSpec(['definitely-not-a-trainer-binary']);
    await expect(h.activities.trainModel({ spec, snapshotId: await snapshot(spec), codeVersion: 'v1' }))
      .rejects.toMatchObject({ type: 'TrainerFailed', nonRetryable: true, message: expect.stringMatching(/could not start/) });
  });

  it('kills the trainer process when the activity is cancelled', async () => {
    const pidFile = path.join(h.dataDir, 'trainer.pid');
    const script = `import os, time; open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid())); time.sleep(60)`;
    const spec = externalSpec(['python3', '-c', script]);
    const snapshotId = await snapshot(spec);
    const env = new MockActivityEnvironment();
    const run = env.run(h.activities.trainModel, { spec, snapshotId, codeVersion: 'v1' });
    const outcome = run.catch((e: unknown) => e);
    const deadline = Date.now() + 20_000; // bounded wait for the child to start, not a timing assertion
    while ((!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    env.cancel();
    expect(await outcome).toBeInstanceOf(CancelledFailure);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops the trainer when the spec timeout passes', async () => {
    const spec = externalSpec(['python3', '-c', 'import time; time.sleep(60)'], { timeout: '300ms' });
    await expect(h.activities.trainModel({ spec, snapshotId: await snapshot(spec), codeVersion: 'v1' })).rejects.toThrow(/trainer timed out after 300 ms/);
  });
});
