/**
 * Where rollout metrics come from: the gateway's own windows today, Prometheus later.
 * An unreachable source is reported as `unavailable`, never thrown as a breach (Argo: Error is not Failed).
 */
import type { WindowSummary } from '../domain/analysis/window-summary';

export interface WindowQuery {
  /** Length of the window ending now. */
  windowMs: number;
}

export type WindowResult =
  | { status: 'ok'; summary: WindowSummary }
  | { status: 'unavailable'; reason: string };

export interface MetricsSource {
  window(model: string, query: WindowQuery): Promise<WindowResult>;
}
