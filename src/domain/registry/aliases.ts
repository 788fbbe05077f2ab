/**
 * Registry aliases and their change records: what the registry port stores and the audit's
 * production timeline reads. Pure types, sandbox-safe.
 */
export const Alias = { champion: 'champion', previous: 'previous', candidate: 'candidate' } as const;
export type Alias = (typeof Alias)[keyof typeof Alias];

/** Alias -> artifact id (null when unset). */
export type AliasMap = Record<Alias, string | null>;

/** One alias move, as the registry records it in the alias history. */
export interface AliasChange {
  model: string;
  alias: Alias;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string;
  releaseId: string | null;
  at: string;
}
