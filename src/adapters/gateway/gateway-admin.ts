/**
 * Client for the built-in gateway's admin API. Implements both ports the rollout activities use:
 * DeploymentTarget (routing) and MetricsSource (metric windows). Responses are validated with zod,
 * because they cross a process boundary.
 */
import { z } from 'zod';
import { RoutingSchema, type Routing, type RoutingInput } from '../../domain/routing';
import { WindowSummarySchema } from '../../domain/analysis/window-summary';
import { formatIssues } from '../../domain/errors';
import { createAdminRequest, errorDetail, parseAdminBody, type AdminHttpOptions } from './admin-http';
import { DeploymentRejectedError, RoutingConflictError, type DeploymentTarget, type SetRoutingOptions } from '../../ports/deployment-target';
import type { MetricsSource, WindowQuery, WindowResult } from '../../ports/metrics-source';
import type { Fault } from '../../gateway/faults';

/** Per-request timeout @default 5000 */
export type GatewayAdminOptions = AdminHttpOptions;

export interface GatewayAdmin extends DeploymentTarget, MetricsSource {
  /** Drills and benchmarks only; the gateway refuses unless fault injection is enabled. */
  injectFault(fault: Pick<Fault, 'model' | 'version'> & Partial<Fault>): Promise<void>;
  clearFaults(model?: string): Promise<void>;
}

/** A transient admin API failure (5xx). */
export class GatewayAdminError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'GatewayAdminError';
  }
}

const SetResponseSchema = z.object({ routing: RoutingSchema, changed: z.boolean() });
const ConflictSchema = z.object({ details: z.object({ current: RoutingSchema.nullable().optional() }) });

const parse = parseAdminBody;

export function createGatewayAdmin(options: GatewayAdminOptions): GatewayAdmin {
  const call = createAdminRequest(options, 5000);
  function fail(what: string, r: { status: number; json: unknown }): never {
    const text = `${what} failed with HTTP ${r.status}: ${errorDetail(r.json)}`;
    // 4xx is permanent (the port's rejected error, not retried); 5xx may pass, so it stays a plain error.
    throw r.status >= 400 && r.status < 500 ? new DeploymentRejectedError(text, r.status) : new GatewayAdminError(text, r.status);
  }
  const enc = encodeURIComponent;
  return {
    async getRouting(model): Promise<Routing | null> {
      const r = await call('GET', `/admin/models/${enc(model)}/routing`);
      if (r.status === 404) return null;
      if (r.status !== 200) fail(`GET routing of ${model}`, r);
      return parse(RoutingSchema, r.json, 'routing');
    },
    async setRouting(model, routing: RoutingInput, opts: SetRoutingOptions = {}) {
      const r = await call('PUT', `/admin/models/${enc(model)}/routing`, { ...routing, expectedGeneration: opts.expectedGeneration });
      if (r.status === 409) throw new RoutingConflictError(model, parse(ConflictSchema, r.json, 'conflict').details.current ?? null);
      if (r.status !== 200) fail(`PUT routing of ${model}`, r);
      return parse(SetResponseSchema, r.json, 'routing').routing;
    },
    async window(model, query: WindowQuery): Promise<WindowResult> {
      try {
        const r = await call('GET', `/admin/models/${enc(model)}/metrics?windowMs=${Math.max(1, Math.round(query.windowMs))}`);
        if (r.status !== 200) return { status: 'unavailable', reason: `gateway metrics answered HTTP ${r.status}` };
        const s = WindowSummarySchema.safeParse(r.json);
        return s.success ? { status: 'ok', summary: s.data } : { status: 'unavailable', reason: `gateway metrics malformed: ${formatIssues(s.error.issues).join('; ')}` };
      } catch (e) {
        // Unreachable is not a breach: the watch turns this into `error` (could not measure).
        return { status: 'unavailable', reason: `gateway metrics unreachable at ${options.adminUrl}: ${(e as Error).message}` };
      }
    },
    async injectFault(fault) {
      const r = await call('POST', '/admin/faults', fault);
      if (r.status !== 200) fail('inject fault', r);
    },
    async clearFaults(model) {
      const r = await call('DELETE', `/admin/faults${model ? `?model=${enc(model)}` : ''}`);
      if (r.status !== 200) fail('clear faults', r);
    },
  };
}
