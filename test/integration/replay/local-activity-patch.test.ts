/**
 * Why a release with local short steps decides its patches before its first local activity
 * (src/workflows/short-steps.ts). When a query is answered while a local activity's result waits
 * for the workflow, the SDK core completes the workflow task with the activity's marker and runs the
 * code after the activity in the next task. On replay that code runs one task earlier, before the
 * next task's patch markers are announced, so a patch first checked there comes out false.
 * The race is driven on the real dev server: the worker is down while the signal and a slow query
 * arrive, so both come with the same workflow task; the local activity ends while the query runs.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { temporalAddress, testClient, unique } from '../../helpers/temporal';
import { busyQuery, goSignal, localStepThenPatch } from './local-activity-patch-workflows';

type History = temporal.api.history.v1.IHistory;
const { EventType } = temporal.api.enums.v1;
const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

/** The events that matter here, each with the number of the workflow task whose commands wrote it. */
function byTask(history: History): Array<{ what: string; task: number }> {
  let task = 0;
  return (history.events ?? []).flatMap((e) => {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) task += 1;
    if (e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED) return [{ what: e.markerRecordedEventAttributes!.markerName!, task }];
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) return [{ what: 'activity', task }];
    return [];
  });
}

describe('a patch checked right after a local activity, when a query splits the workflow task', () => {
  let bundle: WorkflowBundleWithSourceMap;
  let connection: NativeConnection;
  let client: Awaited<ReturnType<typeof testClient>>;
  beforeAll(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'local-activity-patch-workflows.ts'), logger: quiet });
    connection = await NativeConnection.connect({ address: temporalAddress() });
    client = await testClient();
  });
  afterAll(async () => {
    await client?.connection.close();
    await connection?.close();
  });

  // `cached: false` leaves no sticky queue behind, so the next task goes to the next worker at once.
  const worker = (taskQueue: string, cached = true) =>
    Worker.create({
      connection, taskQueue, workflowBundle: bundle, ...(cached ? {} : { maxCachedWorkflows: 0 }),
      activities: { step: (ms: number) => delay(ms).then(() => `step ${ms}`) },
    });

  /** The race happened: the local activity's marker and the code after the activity are in consecutive tasks. */
  function raced(history: History): boolean {
    const events = byTask(history);
    const la = events.find((e) => e.what === 'core_local_activity');
    return la !== undefined && events.find((e) => e.what === 'activity')?.task === la.task + 1;
  }

  /** Runs the workflow once towards the race; returns its handle, task queue and closed history. */
  async function runTowardsRace(decideFirst: boolean): Promise<{ handle: WorkflowHandle; taskQueue: string; history: History }> {
    const taskQueue = unique('la-patch');
    const handle = await client.client.workflow.start(localStepThenPatch, { taskQueue, workflowId: unique('la-patch'), args: ['la-patch-test', decideFirst] });
    // First task done (queries are refused before it), then the worker goes away.
    await (await worker(taskQueue, false)).runUntil(() => handle.query(busyQuery, 1));
    await handle.signal(goSignal);
    // A few hundred ms of CPU: well past the 20 ms local activity, well within the 5 s an activation may take.
    const answered = handle.query(busyQuery, 30_000_000);
    await delay(2000); // lets the server hold the query for the workflow task the signal scheduled
    await (await worker(taskQueue)).runUntil(async () => {
      await answered;
      await handle.result();
    });
    return { handle, taskQueue, history: await handle.fetchHistory() };
  }

  /**
   * The race depends on timing (the local activity must end while the query runs), so a busy host
   * may miss it: each attempt is a new workflow, tried until one shows the race, within a few attempts.
   */
  async function raceLocalActivityWithQuery(decideFirst: boolean): Promise<{ handle: WorkflowHandle; taskQueue: string; history: History }> {
    let run = await runTowardsRace(decideFirst);
    for (let attempt = 1; attempt < 5 && !raced(run.history); attempt++) run = await runTowardsRace(decideFirst);
    expect(raced(run.history)).toBe(true);
    return run;
  }

  it('fails to replay, and to answer a query once closed, when the patch is first checked after the local activity', async () => {
    const { handle, taskQueue, history } = await raceLocalActivityWithQuery(false);
    expect(byTask(history).map((e) => e.what)).toEqual(['core_local_activity', 'core_patch', 'activity']);
    const replay = Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId);
    await expect(replay).rejects.toThrow(DeterminismViolationError);
    await expect(replay).rejects.toThrow(/Non-deprecated patch marker encountered for change la-patch-test, but there is no corresponding change command/);
    // A query on a closed workflow replays it from the start: the failure a clean-clone run saw.
    const query = (await worker(taskQueue)).runUntil(() => handle.query(busyQuery, 1));
    await expect(query).rejects.toThrow(/Nondeterminism error: Non-deprecated patch marker encountered for change la-patch-test/);
  });

  it('replays, and answers a query once closed, when the patch was decided before the local activity', async () => {
    const { handle, taskQueue, history } = await raceLocalActivityWithQuery(true);
    expect(byTask(history).map((e) => e.what)).toEqual(['core_patch', 'core_local_activity', 'activity']);
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId)).resolves.toBeUndefined();
    expect(await handle.result()).toBe('step 1');
    await expect((await worker(taskQueue)).runUntil(() => handle.query(busyQuery, 1))).resolves.toBe(0);
  });
});
