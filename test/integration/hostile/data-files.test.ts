/**
 * Hostile data files fed to real releases: each release fails at the snapshot with one
 * non-retried DataError naming the file and the problem, and nothing is left behind (no snapshot,
 * no registered version, no alias). The worker keeps serving: a good release runs right after.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { statusQuery } from '../../../src/workflows/messages';
import { creditSpec, openReleaseEnv, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';

const HEADER = 'age,income,debt_ratio,label';
const FEATURES = ['age', 'income', 'debt_ratio'];

/** [title, file name, content, what the error must say] */
const CASES: Array<[string, string, string | Buffer, RegExp]> = [
  ['an empty file', 'empty.csv', '', /empty\.csv: the file is empty/],
  ['a file whose columns do not match the spec', 'columns.csv', 'age,salary,label\n30,100,0\n', /columns\.csv: missing column\(s\) "income", "debt_ratio"/],
  ['non-numeric feature values', 'text.csv', `${HEADER}\n30,1000,0.2,0\nthirty,1000,0.2,1\n`, /text\.csv:3: column "age": expected a number, got "thirty"/],
  // A 2 MB row of 500k extra fields.
  ['one huge row of 2 MB', 'huge.csv', `${HEADER}\n30,1000,0.2,0\n30,1000,0.2,1${',9'.repeat(1024 * 1024)}\n`, /huge\.csv:3: malformed CSV/],
  // One 4 MB field: the error quotes a short prefix, so the failure still fits in history.
  ['one 4 MB text value in a numeric column', 'huge-text.csv', `${HEADER}\n30,1000,0.2,0\n${'x'.repeat(4 * 1024 * 1024)},1000,0.2,1\n`, /huge-text\.csv:3: column "age": expected a number, got "x{20,}… \(\d+ characters\)/],
  // Four million 9s match the number pattern yet overflow to Infinity.
  ['one 4 MB number that overflows', 'huge-number.csv', `${HEADER}\n30,1000,0.2,0\n${'9'.repeat(4 * 1024 * 1024)},1000,0.2,1\n`, /huge-number\.csv:3: column "age": (expected a finite number|expected a number)/],
  ['bytes that are not UTF-8', 'latin1.csv', Buffer.concat([Buffer.from(`${HEADER}\n30,1000,0.2,0\n`), Buffer.from([0x33, 0x30, 0xe9]), Buffer.from(',1000,0.2,1\n')]), /latin1\.csv:3: the file is not valid UTF-8/],
];

describe('hostile data files through real releases', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => env?.close());

  const fileSpec = (model: string, file: string) =>
    creditSpec(model, { data: { source: { kind: 'file', path: file }, label: 'label', features: FEATURES, split: { kind: 'random', testFraction: 0.25, seed: 3 } } });

  it.each(CASES)('fails a release on %s at the snapshot, once, with an error naming the file, and changes nothing', async (_t, file, content, message) => {
    writeFileSync(path.join(env.dataDir, file), content);
    const model = unique('hostile-data');
    const handle = await env.startRelease(fileSpec(model, file));
    const err = await handle.result().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const status = await handle.query(statusQuery);
    expect({ outcome: status.outcome, stage: status.timeline.map((t) => t.stage).slice(0, 1), reasons: status.reasons }).toEqual({ outcome: 'failed', stage: ['snapshot'], reasons: [expect.stringMatching(message)] });
    // Non-retryable: the bad file was read once, not three times.
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1]);
    const registry = env.opened.deps.pipeline.registry;
    expect(await registry.listVersions(model)).toEqual([]);
    expect(await registry.getAliases(model)).toEqual({ champion: null, previous: null, candidate: null });
    const snapshots = path.join(env.dataDir, 'snapshots');
    expect(existsSync(snapshots) ? readdirSync(snapshots) : []).toEqual([]);
  });

  it('still runs a good release to its deploy gate after the bad ones', async () => {
    const handle = await env.startRelease(creditSpec(unique('hostile-data-ok')));
    const deadline = Date.now() + 60_000;
    let stage = '';
    while (Date.now() < deadline && stage !== 'awaiting_deploy_approval') {
      stage = (await handle.query(statusQuery)).stage;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(stage).toBe('awaiting_deploy_approval');
    await handle.terminate('test finished');
  });
});
