/**
 * The monitor's `target.reason` when the champion changed without a re-point (a release re-points
 * it with "promoted release-…"; `mlgate rollback` does not), so the status never names a stale cause.
 */
export function championChangedReason(champion: string): string {
  return `champion changed to ${champion} in the registry (a rollback or another change made outside a release)`;
}
