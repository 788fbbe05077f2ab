/**
 * A purpose-built workflow for local-activity-patch.test.ts: the shape of a release with local
 * short steps (a local activity, then a `patched()` check), small enough to drive into one race.
 */
import { condition, defineQuery, defineSignal, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';

interface Steps {
  step(ms: number): Promise<string>;
}
const local = proxyLocalActivities<Steps>({ startToCloseTimeout: '1m' });
const remote = proxyActivities<Steps>({ startToCloseTimeout: '1m' });

export const goSignal = defineSignal('go');
/** Spends CPU for `n` iterations: the local activity finishes while this query is being answered. */
export const busyQuery = defineQuery<number, [number]>('busy');

/**
 * Waits for `go`, runs a local activity, then takes the patched branch or the old one. With
 * `decideFirst` the patch is decided at the start, before any local activity (as a release with
 * local short steps does); without it, only after the local activity (as the withdrawn path did).
 */
export async function localStepThenPatch(patchId: string, decideFirst: boolean): Promise<string> {
  if (decideFirst) patched(patchId);
  let go = false;
  setHandler(goSignal, () => void (go = true));
  setHandler(busyQuery, (n) => {
    let x = 0;
    for (let i = 0; i < n; i++) x = (x + i) % 7;
    return x;
  });
  await condition(() => go);
  await local.step(20);
  return patched(patchId) ? remote.step(1) : remote.step(2);
}
