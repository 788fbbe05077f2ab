/**
 * The smallest workflow that proves a deployment works end to end: an activity runs on a worker,
 * an Update is validated and acknowledged, a Signal is received, and the result comes back.
 * `mlgate smoke` runs it against the configured Temporal.
 */
import { condition, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SmokeActivities } from '../activities/smoke';

export const smokeNoteUpdate = defineUpdate<number, [string]>('smokeNote');
export const smokeFinishSignal = defineSignal<[]>('smokeFinish');
export const smokeNotesQuery = defineQuery<string[]>('smokeNotes');

const { echo } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '30s' });

export interface SmokeResult {
  echoed: string;
  notes: string[];
}

export async function smokeWorkflow(greeting: string): Promise<SmokeResult> {
  const notes: string[] = [];
  let finished = false;
  setHandler(smokeNotesQuery, () => notes);
  setHandler(smokeNoteUpdate, (note) => notes.push(note), {
    validator: (note) => {
      if (!note.trim()) throw new Error('note must not be empty');
    },
  });
  setHandler(smokeFinishSignal, () => void (finished = true));
  const echoed = await echo(greeting);
  await condition(() => finished);
  return { echoed, notes };
}
