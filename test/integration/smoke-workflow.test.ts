import type { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke';
import { smokeFinishSignal, smokeNoteUpdate, smokeNotesQuery, smokeWorkflow } from '../../src/workflows/smoke';
import { createWorker } from '../../src/workers/worker';
import { bundleWorkflows, temporalAddress, testClient, unique } from '../helpers/temporal';

describe('smoke workflow on a real Temporal dev server', () => {
  let bundle: WorkflowBundleWithSourceMap;
  let client: Client;
  let connection: Connection;
  beforeAll(async () => {
    bundle = await bundleWorkflows();
    ({ client, connection } = await testClient());
  });
  afterAll(async () => connection?.close());

  it('runs an activity, accepts an update, rejects an invalid one before history, and completes on a signal', async () => {
    const taskQueue = unique('smoke');
    const { worker, connection: wc } = await createWorker({ address: temporalAddress(), namespace: 'default', taskQueue, activities: createSmokeActivities(), workflowBundle: bundle });
    const result = await worker.runUntil(async () => {
      const handle = await client.workflow.start(smokeWorkflow, { taskQueue, workflowId: unique('smoke-wf'), args: ['hello'] });
      await expect(handle.executeUpdate(smokeNoteUpdate, { args: ['first'] })).resolves.toBe(1);
      await expect(handle.executeUpdate(smokeNoteUpdate, { args: ['  '] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/must not be empty/) } });
      expect(await handle.query(smokeNotesQuery)).toEqual(['first']);
      await handle.signal(smokeFinishSignal);
      const r = await handle.result();
      const history = await handle.fetchHistory();
      const updateEvents = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      return { r, updateEvents: updateEvents.length };
    });
    await wc.close();
    expect(result.r.echoed).toMatch(/^hello \(from worker on .+, pid \d+\)$/);
    expect(result.r.notes).toEqual(['first']);
    // The validator refused the blank note before anything was written: one accepted update only.
    expect(result.updateEvents).toBe(1);
  });
});
