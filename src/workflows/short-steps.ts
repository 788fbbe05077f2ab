/**
 * The short registry steps of a release (record the version, take and give back the deploy lock,
 * read the aliases and the routing, point `candidate`) as local activities: they run inside the
 * workflow task that reaches them, so several in a row cost one round trip through the server
 * instead of one each, and leave one marker event each instead of three activity events.
 * They may: each is quick and idempotent (a worker that dies before its workflow task completes
 * runs them again). The steps the audit reads from history (the first alias read, routing moves,
 * promotion, rollback) stay ordinary activities.
 *
 * Releases recorded without the LOCAL_STEPS_PATCH marker ran them as activities, and replay so.
 * (The first local path, 'local-short-steps', was withdrawn: see RELEASE_PATCHES.)
 */
import { patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ShortSteps } from '../domain/release';

export type ShortStepActivities = Pick<Activities, 'registerVersion' | 'acquireReleaseLock' | 'releaseReleaseLock' | 'getAliases' | 'getRouting' | 'setCandidateAlias'>;

export const LOCAL_STEPS_PATCH = 'local-short-steps-patches-first';

/**
 * Every patch the release workflow checks after its start. A release with local steps decides them
 * all in its first workflow task, before any local activity runs. Why: when a query is answered
 * while a local activity's result is waiting, the SDK core completes the workflow task with the
 * activity's marker and runs the code after it in the next task. On replay that code runs in the
 * marker's task, before the next task's patch markers are announced, so a `patched()` decided
 * there returns false and the replay fails ("patch marker ... no corresponding change command").
 * A decision made up front is cached and returned by every later `patched()` call.
 */
export const RELEASE_PATCHES = ['mail-retry-in-workflow', 'monitor-on-promotion', 'kpi-bake', 'ab-experiment', 'metrics-error-verdict', 'rollout-in-release'] as const;

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3, initialInterval: '1s' } });
// Giving the lock back must get through, as with the ordinary compensation proxy.
const localCompensation = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 30, initialInterval: '500ms', maximumInterval: '10s' } });

/**
 * The short steps as `mode` asks, decided once per release at its start (so a release never mixes
 * the two). Must be called in the release's first workflow task, before any activity.
 * `remote` and `remoteCompensation` are the ordinary-activity proxies.
 */
export function shortSteps(mode: ShortSteps, remote: ShortStepActivities, remoteCompensation: Pick<Activities, 'releaseReleaseLock'>): ShortStepActivities {
  const isLocal = mode === 'local' && patched(LOCAL_STEPS_PATCH);
  if (isLocal) for (const id of RELEASE_PATCHES) patched(id);
  const [steps, compensation] = isLocal ? [local, localCompensation] : [remote, remoteCompensation];
  // Picked by name: the proxies are Proxy objects, which spreading would leave empty.
  const { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias } = steps;
  return { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias, releaseReleaseLock: compensation.releaseReleaseLock };
}
