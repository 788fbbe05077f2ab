/**
 * Gateway routing for one model: which artifact serves (stable) and how a candidate gets traffic.
 * Pure and sandbox-safe: workflows build routings, the gateway validates and applies them.
 */
import { z } from 'zod';

export const RolloutMode = { canary: 'canary', shadow: 'shadow' } as const;
export type RolloutMode = (typeof RolloutMode)[keyof typeof RolloutMode];
export const RolloutModeSchema = z.enum(RolloutMode);

const ArtifactId = z.string().min(1, 'give the artifact id (sha256) of the version to serve');

export const CandidateRouteSchema = z.object({
  version: ArtifactId,
  mode: RolloutModeSchema,
  /** Canary: percentage of requests (0..100) answered by the candidate. Ignored in shadow mode. @default 0 */
  weight: z.number().min(0, 'weight is a percentage from 0 to 100').max(100, 'weight is a percentage from 0 to 100').default(0),
  /** Shadow: share (0..1] of requests mirrored to the candidate. @default 1 */
  sampleRate: z.number().gt(0, 'sampleRate is a share in (0, 1]').max(1, 'sampleRate is a share in (0, 1]').optional(),
});
export type CandidateRoute = z.infer<typeof CandidateRouteSchema>;

/** What a caller asks for; the gateway owns `generation`. */
export const RoutingInputSchema = z.object({
  /** null = the model is known but serves nothing (every predict gets 503). */
  stable: z.object({ version: ArtifactId }).nullable(),
  candidate: CandidateRouteSchema.optional(),
  /** Request header whose value pins a caller to one version (hashed, so the split stays weighted). */
  stickyHeader: z.string().min(1).optional(),
  /**
   * A/B experiments: a request without the sticky header is refused (400) rather than routed at
   * random, because an unkeyed request cannot be counted to one user's arm. @default false
   */
  stickyRequired: z.boolean().optional(),
  updatedBy: z.string().optional(),
});
export type RoutingInput = z.infer<typeof RoutingInputSchema>;

export const RoutingSchema = RoutingInputSchema.extend({
  /** Bumped on every change; compare-and-set uses it. */
  generation: z.number().int().nonnegative(),
});
export type Routing = z.infer<typeof RoutingSchema>;

/**
 * FNV-1a 32-bit (offset basis 0x811c9dc5, prime 0x01000193, over UTF-16 code units): a stable,
 * sandbox-safe hash so one sticky key always lands on the same side. `stickyDraw` maps it to
 * (hash mod 10000) / 10000; a key is in the candidate arm when draw * 100 < weight, so the same key
 * keeps its arm for as long as the weight stays the same.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A draw in [0, 1) from a sticky key. */
export function stickyDraw(key: string): number {
  return (hashKey(key) % 10_000) / 10_000;
}

export interface RouteChoice {
  /** The version whose answer the caller gets. */
  serve: string;
  /** The version to mirror to after the response (shadow), if any. */
  mirror?: string;
}

/**
 * Picks the serving version for one request. `draw` in [0, 1) comes from the sticky key or from
 * the caller's random source (kept outside so this stays deterministic). `mirrorDraw` decides shadow sampling.
 */
export function chooseRoute(routing: Routing, draw: number, mirrorDraw: number): RouteChoice | null {
  const stable = routing.stable?.version;
  const cand = routing.candidate;
  if (!stable) return cand && cand.mode === 'canary' && cand.weight >= 100 ? { serve: cand.version } : null;
  if (!cand) return { serve: stable };
  if (cand.mode === 'canary') return { serve: draw * 100 < cand.weight ? cand.version : stable };
  return mirrorDraw < (cand.sampleRate ?? 1) ? { serve: stable, mirror: cand.version } : { serve: stable };
}

/** True when two routings ask for the same thing (generation and author ignored): makes PUT idempotent. */
export function sameRouting(a: RoutingInput, b: RoutingInput): boolean {
  const norm = (r: RoutingInput) =>
    JSON.stringify([
      r.stable?.version ?? null,
      r.candidate ? [r.candidate.version, r.candidate.mode, r.candidate.weight, r.candidate.sampleRate ?? null] : null,
      r.stickyHeader ?? null,
      r.stickyRequired ?? false,
    ]);
  return norm(a) === norm(b);
}
