/**
 * SIGKILL of the worker process while the snapshot activity is reading its data. The data file is
 * a named pipe fed by this test, like an export still being streamed from a slow mount: the reader
 * gets half the rows and then nothing, so the kill is certain to land inside the snapshot. Then the
 * export is complete (a regular file at the same path) and a fresh worker takes over once the
 * activity's 30 s heartbeat timeout expires; the second attempt reads the whole file and the release ends promoted, with one snapshot and one registered version.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { generateSyntheticCredit } from '../../../src/domain/data/synthetic-credit';
import { creditSpec } from '../../helpers/release-env';
import { temporalAddress, unique } from '../../helpers/temporal';
import { openProcessStack, startedAttempts, waitFor, waitStatus, type ProcessStack } from './process-stack';
import { expectOutcome } from '../../helpers/outcome';

/**
 * A named pipe at `file` that gives its first reader half of `text` and then stalls. `replace()`
 * ends the stall (the dead reader's pipe fails with EPIPE) and puts the whole text in a regular
 * file at the same path, which is what every later reader sees.
 */
function stallingPipe(file: string, text: string) {
  execFileSync('mkfifo', [file]);
  let opened = false;
  let unstall!: () => void;
  const stalled = new Promise<void>((r) => (unstall = r));
  const served = (async () => {
    const fh = await open(file, 'w'); // blocks until a reader opens the pipe
    opened = true;
    try {
      await fh.write(text.slice(0, Math.floor(text.length / 2)));
      await stalled;
      await fh.write(text.slice(Math.floor(text.length / 2)));
    } catch (err) {
      // The reader died with its worker: writing to a pipe nobody reads fails with EPIPE.
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    } finally {
      await fh.close();
    }
  })();
  return {
    opened: () => opened,
    async replace() {
      unstall();
      if (!opened) await (await open(file, 'r')).close(); // wakes a writer still waiting for a reader
      await served;
      rmSync(file);
      writeFileSync(file, text);
    },
  };
}

describe('a release survives SIGKILL of its worker during the snapshot', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await openProcessStack({ address: temporalAddress() });
  });
  afterAll(async () => stack?.close());

  it('re-runs the snapshot on a new worker and ends promoted with one snapshot and one registered version', async () => {
    const model = unique('sigkill-snapshot');
    const rows = generateSyntheticCredit({ rows: 1500, seed: 1, drift: 0 });
    const pipe = stallingPipe(path.join(stack.dataDir, 'exported.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    let replaced = false;
    try {
      const spec = creditSpec(model, {
        riskClass: 'low', // both gates auto-approve; with no traffic the rollout is inconclusive and `hold` lets it on
        data: { ...creditSpec(model).data, source: { kind: 'file', path: 'exported.jsonl' } },
        slo: { minSamples: 30, inconclusiveAfter: '1s', onInconclusive: 'hold' },
        strategy: { kind: 'canary', steps: [100], stepBake: '1s', postPromotionWatch: '1s' },
      });
      const first = await stack.startWorker();
      const h = await stack.startRelease(spec);
      await waitStatus(h, (s) => s.stage === 'snapshot');
      await waitFor(async () => pipe.opened(), 30_000); // the activity is reading, and has half the rows
      await first.kill();
      await pipe.replace();
      replaced = true;
      const second = await stack.startWorker();
      const result = await h.result();
      await second.stop();

      expectOutcome(result, 'promoted');
      expect(await startedAttempts(h, 'snapshotDataset')).toEqual([2]);
      const snapshots = readdirSync(path.join(stack.dataDir, 'snapshots'));
      expect(snapshots).toEqual([result.snapshotId]); // no half-written or temporary snapshot left behind
      const manifest = JSON.parse(readFileSync(path.join(stack.dataDir, 'snapshots', result.snapshotId!, 'manifest.json'), 'utf8')) as { trainRows: number; testRows: number };
      expect(manifest.trainRows + manifest.testRows).toBe(1500); // every row, once
      expect((await stack.registry().listVersions(model)).map((v) => v.artifactId)).toEqual([result.artifactId]);
    } finally {
      if (!replaced) await pipe.replace();
    }
  }, 300_000);
});
