/**
 * The Temporal dev server itself goes away mid-release: it is stopped while a release waits at its
 * deploy gate and started again on the same port with the same SQLite file. The worker process
 * (`mlgate worker`) reconnects by itself, and the release resumes where it was and completes.
 * The same holds when the server is killed outright: the file runs in WAL mode with
 * synchronous=normal (see dev-server.ts), which keeps every committed transaction across a crash
 * of the process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { freePort } from '../../../src/temporal/free-port';
import { creditSpec } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { openProcessStack, waitStatus, type ProcessStack } from './process-stack';
import { resolveTemporalBinary } from '../../../src/temporal/binaries';
import { expectOutcome } from '../../helpers/outcome';

/** The Temporal CLI, resolved from this process's environment (tests and benches are edges). */
const temporalCli = () => resolveTemporalBinary('cli', { env: process.env }).path;

describe('a release survives a restart of the Temporal server (SQLite file kept)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlgate-temporal-restart-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  let port: number;
  let server: DevServer;
  let stack: ProcessStack;
  const start = () => startDevServer({ binaryPath: temporalCli(), port, dbFile, headless: true, startTimeoutMs: 180_000 });

  beforeAll(async () => {
    port = await freePort();
    server = await start();
    stack = await openProcessStack({ address: server.address });
  }, 240_000);
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Approves both gates with traffic flowing through the canary, and returns the release's result. */
  async function approveThroughCanary(model: string, h: Awaited<ReturnType<ProcessStack['startRelease']>>) {
    await stack.decide(h, 'deploy', 'alice@example.com');
    const stopTraffic = new AbortController();
    const traffic = stack.traffic(model, stopTraffic.signal);
    try {
      await waitStatus(h, (s) => s.stage === 'awaiting_promote_approval' || s.stage === 'done', 120_000);
      await stack.decide(h, 'promote', 'bob@example.com');
      return await h.result();
    } finally {
      stopTraffic.abort();
      await traffic;
    }
  }

  it('resumes a release that was waiting at its gate and carries it to promotion after the restart', async () => {
    const model = unique('restart');
    const worker = await stack.startWorker();
    const h = await stack.startRelease(creditSpec(model, { strategy: { kind: 'canary', steps: [100], stepBake: '1500ms', postPromotionWatch: '1s' } }));
    const before = await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval' && s.notifications.length > 0);

    await server.stop();
    server = await start();

    // Same run, same state: nothing was lost with the server process.
    const after = await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval', 120_000);
    expect({ runId: after.runId, artifactId: after.artifactId, snapshotId: after.snapshotId }).toEqual({ runId: before.runId, artifactId: before.artifactId, snapshotId: before.snapshotId });
    try {
      const result = await approveThroughCanary(model, h);
      expectOutcome(result, 'promoted');
      expect(result.artifactId).toBe(before.artifactId);
      // The worker process rode out the outage; it was never restarted.
      expect(worker.child.exitCode).toBeNull();
      expect((await stack.registry().listVersions(model)).length).toBe(1);
    } finally {
      await worker.stop();
    }
  }, 420_000);

  it('loses no committed step when the server is killed with SIGKILL while the SQLite file is in WAL mode', async () => {
    const model = unique('restart-kill');
    const worker = await stack.startWorker();
    const h = await stack.startRelease(creditSpec(model, { strategy: { kind: 'canary', steps: [100], stepBake: '1500ms', postPromotionWatch: '1s' } }));
    const before = await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval' && s.notifications.length > 0);
    // journal_mode=wal, synchronous=normal: commits go to the -wal file beside the database.
    expect(existsSync(`${dbFile}-wal`)).toBe(true);

    // No shutdown at all: what an OOM kill or a lost node does to the server process.
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGKILL');
    await exited;
    server = await start();

    const after = await waitStatus(h, (s) => s.stage === 'awaiting_deploy_approval', 120_000);
    expect({ runId: after.runId, artifactId: after.artifactId, gates: after.gates.map((g) => g.gate) }).toEqual({
      runId: before.runId, artifactId: before.artifactId, gates: before.gates.map((g) => g.gate),
    });
    try {
      expect((await approveThroughCanary(model, h)).outcome).toBe('promoted');
      expect((await stack.registry().listVersions(model)).length).toBe(1);
    } finally {
      await worker.stop();
    }
  }, 420_000);
});
