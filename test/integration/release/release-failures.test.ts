import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../../../src/workflows/messages';
import { creditSpec, openReleaseEnv, waitForStage, type ReleaseEnv } from '../../helpers/release-env';
import { unique } from '../../helpers/temporal';
import { expectOutcome } from '../../helpers/outcome';

/** The innermost failure message of a failed workflow: what the person needs to read. */
function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause) e = e.cause as typeof e;
  return e?.message ?? '';
}

jest.setTimeout(300_000);

describe('release failures and races on a real Temporal server', () => {
  let env: ReleaseEnv;
  beforeAll(async () => {
    env = await openReleaseEnv();
  });
  afterAll(async () => env?.close());

  it('fails with a clear error naming the missing data file, without deploying anything', async () => {
    const model = unique('credit');
    const handle = await env.startRelease(creditSpec(model, { data: { source: { kind: 'file', path: 'no-such-file.csv' }, label: 'default', features: ['income'] } }));
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(rootMessage(err)).toMatch(/no-such-file\.csv/);
    expect((await handle.query(statusQuery)).outcome).toBe('failed');
    expect(await env.opened.deps.pipeline.registry.getAliases(model)).toEqual({ champion: null, previous: null, candidate: null });
  });

  it('fails with a clear error when the label column does not exist in the data', async () => {
    const model = unique('credit');
    const spec = creditSpec(model);
    const handle = await env.startRelease({ ...spec, data: { ...spec.data, label: 'defaulted_flag' } });
    const err = await handle.result().catch((e: unknown) => e);
    expect(rootMessage(err)).toMatch(/defaulted_flag/);
  });

  // The workflow parses its input with zod shared across workflows and without compiled parsers (src/workflows/shared-modules.ts).
  it('fails a release with malformed input as a non-retryable InvalidInput naming each bad field, before any step runs', async () => {
    const model = unique('credit');
    const handle = await env.startRelease(creditSpec(model), { shortSteps: 'remote' as never, codeVersion: '' });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(rootMessage(err)).toMatch(/^release input: .*codeVersion: .*too small/i);
    expect(rootMessage(err)).toMatch(/shortSteps: .*expected one of "local"\|"activities"/i);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toEqual([]);
  });

  it('retries a trainer that exits non-zero per the retry policy, then fails the release without deploying', async () => {
    const model = unique('credit');
    const handle = await env.startRelease(creditSpec(model, { trainer: { kind: 'external', command: ['python3', '-c', 'import sys; print("boom", file=sys.stderr); sys.exit(3)'], timeout: '1m' } }));
    const err = await handle.result().catch((e: unknown) => e);
    expect(rootMessage(err)).toMatch(/exit(ed)? .*3|code 3/);
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0);
    // Temporal records only the last attempt's start event; its number is the retry count.
    expect(Math.max(...attempts)).toBe(3);
    expect((await handle.query(statusQuery)).outcome).toBe('failed');
    expect(await env.opened.deps.pipeline.registry.getAliases(model)).toEqual({ champion: null, previous: null, candidate: null });
  });

  it('lets only one of two concurrent releases of one model promote; the other is superseded', async () => {
    const model = unique('credit');
    const a = await env.startRelease(creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 100 }, seed: 21 } }));
    const b = await env.startRelease(creditSpec(model, { trainer: { kind: 'builtin', params: { epochs: 90 }, seed: 22 } }));
    await Promise.all([a, b].map((h) => waitForStage(() => h.query(statusQuery), (s) => s.stage === 'awaiting_deploy_approval')));
    const traffic = env.flowingTraffic(model);
    await env.decide(a, 'deploy', 'alice@example.com');
    await env.decide(b, 'deploy', 'alice@example.com');
    // b waits for the deploy lock that a holds, and never reaches its promote gate while a runs.
    await waitForStage(() => b.query(statusQuery), (s) => s.stage === 'waiting_for_lock');
    await waitForStage(() => a.query(statusQuery), (s) => s.stage === 'awaiting_promote_approval', 120_000);
    await env.decide(a, 'promote', 'bob@example.com');
    const [ra, rb] = await Promise.all([a.result(), b.result()]);
    await traffic.stop();
    expectOutcome(ra, 'promoted');
    expectOutcome(rb, 'superseded');
    expect(rb.reasons.join(' ')).toMatch(/champion changed/);
    expect((await env.opened.deps.pipeline.registry.getAliases(model)).champion).toBe(ra.artifactId);
  });
});
