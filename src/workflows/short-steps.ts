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
import type { Activities } from '../activities';
import type { ShortSteps } from '../domain/release';

export type ShortStepActivities = Pick<Activities, 'registerVersion' | 'acquireReleaseLock' | 'releaseReleaseLock' | 'getAliases' | 'getRouting' | 'setCandidateAlias'>;

/**
 * The short steps as `mode` asks, decided once per release at its start (so a release never mixes
 * the two). `remote` and `remoteCompensation` are the ordinary-activity proxies.
 */
export function shortSteps(_mode: ShortSteps, remote: ShortStepActivities, remoteCompensation: Pick<Activities, 'releaseReleaseLock'>): ShortStepActivities {
  // Local mode is switched off: a query on a finished release that ran it failed to replay once
  // ("patch marker mail-retry-in-workflow ... no corresponding change command"), so every release
  // runs the short steps as ordinary activities until that is understood. No release with the
  // local-short-steps marker ever landed, so none needs the local branch to replay.
  const { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias } = remote;
  return { registerVersion, acquireReleaseLock, getAliases, getRouting, setCandidateAlias, releaseReleaseLock: remoteCompensation.releaseReleaseLock };
}
