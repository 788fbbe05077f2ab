/**
 * Where routing is applied: the built-in gateway's admin API today, a KServe-style target later.
 * One file per adapter under src/adapters/; all pass the same contract.
 */
import type { Routing, RoutingInput } from '../domain/routing';

export interface SetRoutingOptions {
  /** Compare-and-set: apply only if the current generation is this one. A retried identical write still succeeds. */
  expectedGeneration?: number;
}

/** Thrown when `expectedGeneration` does not match: someone else changed the routing. */
export class RoutingConflictError extends Error {
  constructor(readonly model: string, readonly current: Routing | null) {
    super(`routing for "${model}" changed concurrently (now generation ${current?.generation ?? 'none'}); re-read it and retry`);
    this.name = 'RoutingConflictError';
  }
}

/** The target refused the request for good (bad routing, unknown model, auth): retrying will not help. */
export class DeploymentRejectedError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'DeploymentRejectedError';
  }
}

export interface DeploymentTarget {
  /** null when the model has never been routed. */
  getRouting(model: string): Promise<Routing | null>;
  /** Idempotent: writing the routing already in place changes nothing and returns it. */
  setRouting(model: string, routing: RoutingInput, options?: SetRoutingOptions): Promise<Routing>;
}
