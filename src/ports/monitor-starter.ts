/**
 * Starting or re-pointing `monitor-<model>`, for activities (the release calls it after a
 * promotion or a rollback). The composition root injects the Temporal adapter.
 */
import type { ModelSpec } from '../domain/spec';

export interface MonitorTargetInput {
  spec: ModelSpec;
  specDir: string;
  codeVersion: string;
  /** Why the monitor is (re-)pointed, e.g. `promoted release-credit-1`. */
  reason: string;
}

export interface MonitorStarter {
  /** Starts the monitor the first time, re-points it after. Idempotent. */
  ensure(target: MonitorTargetInput): Promise<{ monitorId: string; runId: string }>;
}

export const monitorId = (model: string) => `monitor-${model}`;
