/**
 * Starting releases, for code that must not hold a Temporal client itself (the monitor's drift
 * retrain activity). The composition root injects the Temporal adapter.
 */
import type { ReleaseInputRaw } from '../domain/release';

export interface ReleaseStarter {
  /** Starts `release-<model>-<n>` with the next free n. */
  start(input: ReleaseInputRaw): Promise<{ releaseId: string }>;
  /** The id of a running release of this model, if there is one. */
  running(model: string): Promise<string | null>;
}
