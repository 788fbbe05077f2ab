/**
 * Load, in the test command: 200 concurrent releases on one worker and the embedded dev server
 * (Temporal CLI dev server with a SQLite file, as `mlgate dev` runs it). Gates are answered by
 * policy (low risk). Every release must end promoted: none lost, none stuck, none still running.
 * Time and memory are reported (console and test-results/load.json), never asserted: a slow
 * machine makes this slower, not red. It runs in its own jest pass after the main suite
 * (jest.load.config.js), so it has the CPU to itself and slows no other test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { driveLoad } from '../../bench/load/drive';
import { startBenchStack, type BenchStack } from '../../bench/shared/stack';

const RELEASES = 200;
const OUT = path.join(__dirname, '..', '..', 'test-results', 'load.json');

describe(`${RELEASES} concurrent releases on one worker and the embedded dev server`, () => {
  let stack: BenchStack;
  beforeAll(async () => {
    stack = await startBenchStack({ name: 'load-test', persist: true });
  }, 240_000);
  afterAll(async () => stack?.close(), 120_000);

  it('all run to completion and are promoted: none lost, none stuck, none left running', async () => {
    const r = await driveLoad(stack, { releases: RELEASES, timeoutMs: 20 * 60_000, idPrefix: 'release-loadtest' });
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(r, null, 2)}\n`);
    console.log(`load: ${RELEASES} releases in ${r.wallSeconds} s (${r.releasesPerMinute}/min), completion p95 ${r.completionSeconds.p95} s, workflow-task wait p95 ${r.workflowTaskWaitMs.p95} ms, peak RSS worker and driver ${r.peakRssMb.worker} MB / Temporal ${r.peakRssMb.temporalServer} MB; written to ${OUT}`);

    expect({ outcomes: r.outcomes, notPromoted: r.notPromoted, lost: r.lost, stuck: r.stuck, stillRunningAfter: r.stillRunningAfter })
      .toEqual({ outcomes: { promoted: RELEASES }, notPromoted: [], lost: 0, stuck: 0, stillRunningAfter: 0 });
    const versions = await Promise.all(Array.from({ length: RELEASES }, (_, i) => stack.opened.deps.pipeline.registry.listVersions(`load-${i}`)));
    expect(versions.map((v) => v.length)).toEqual(Array(RELEASES).fill(1)); // each model registered once, none twice
  }, 25 * 60_000);
});
