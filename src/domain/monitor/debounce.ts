/**
 * Debouncing drift breaches: one noisy period never alerts; `breachesToAlert` drifted periods in a
 * row do, once. The alert stays latched until the drift clears for `rearmAfterStable` periods or
 * the monitor is re-pointed at a new champion, so one episode of drift starts one retrain.
 * Pure: the state travels through continue-as-new.
 */
import type { DriftVerdict } from '../drift/schema';

export interface DebounceState {
  /** Drifted periods in a row (inconclusive periods neither add nor reset). */
  consecutiveDrift: number;
  /** Stable periods in a row since the last alert. */
  consecutiveStable: number;
  /** True after an alert until re-armed. */
  latched: boolean;
}

export interface DebouncePolicy {
  breachesToAlert: number;
  rearmAfterStable: number;
}

export const initialDebounce = (): DebounceState => ({ consecutiveDrift: 0, consecutiveStable: 0, latched: false });

/** Next state after one period's verdict, and whether this period fires the alert. */
export function debounceStep(state: DebounceState, verdict: DriftVerdict, policy: DebouncePolicy): { state: DebounceState; fire: boolean } {
  if (verdict === 'inconclusive') return { state, fire: false };
  if (verdict === 'stable') {
    const consecutiveStable = state.consecutiveStable + 1;
    const rearm = state.latched && consecutiveStable >= policy.rearmAfterStable;
    return { state: { consecutiveDrift: 0, consecutiveStable, latched: state.latched && !rearm }, fire: false };
  }
  const consecutiveDrift = state.consecutiveDrift + 1;
  const fire = !state.latched && consecutiveDrift >= policy.breachesToAlert;
  return { state: { consecutiveDrift, consecutiveStable: 0, latched: state.latched || fire }, fire };
}

/** A new champion is a new baseline: forget the streaks and the latch. */
export const rearmForNewChampion = (): DebounceState => initialDebounce();
