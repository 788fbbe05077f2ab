/**
 * The short registry steps of a release (record the version, take and give back the deploy lock,
 * read the aliases and the routing, point `candidate`) as local activities: they run inside the
 * workflow task that reaches them, so several in a row cost one round trip through the server
 * instead of one each, and leave one marker event each instead of three activity events.
 * They may: each is quick and idempotent (a worker that dies before its workflow task completes
 * runs them again). The steps the audit reads from history (the first alias read, routing moves,
 * promotion, rollback) stay ordinary activities.
 * Releases recorded before the 'local-short-steps' patch ran them as activities, and replay so.
 */
import { patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ShortSteps } from '../domain/release';

export type ShortStepActivities = Pick<Activities, 'registerVersion' | 'acquireReleaseLock' | 'releaseReleaseLock' | 'getAliases' | 'getRouting' | 'setCandidateAlias'>;

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3, initialInterval: '1s' } });
// Giving the lock back must get through, as with the ordinary compensation proxy.
const localCompensation = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 30, initialInterval: '500ms', maximumInterval: '10s' } });

/**
 * The short steps as `mode` asks, decided once per release at its start (so a release never mixes
 * the two). `remote` and `remoteCompensation` are the ordinary-activity proxies.
 */
export function shortSteps(mode: ShortSteps, remote: ShortStepActivities, remoteCompensation: Pick<Activities, 'releaseReleaseLock'>): ShortStepActivities {
  const [steps, compensation] = mode === 'local' && patched('local-short-steps') ? [local, localCompensation] : [remote, remoteCompensation];
  // Picked by name: the proxies are Proxy objects, which spreading would leave empty.
  const { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias } = steps;
  return { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias, releaseReleaseLock: compensation.releaseReleaseLock };
}
