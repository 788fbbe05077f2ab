/**
 * What each registry operation does to the aliases, as a plan of alias moves in order. Pure, so every
 * registry adapter (SQLite, PostgreSQL) applies the same rules inside its own transaction.
 */
import type { Alias, AliasMap } from './aliases';

export interface AliasMove {
  alias: Alias;
  next: string | null;
}

/** champion = artifact, previous = old champion, candidate cleared; nothing when this release already did it. */
export function promotionPlan(a: AliasMap, artifactId: string): AliasMove[] {
  const moves: AliasMove[] = [];
  if (a.champion !== artifactId) {
    if (a.champion !== null) moves.push({ alias: 'previous', next: a.champion });
    moves.push({ alias: 'champion', next: artifactId });
  }
  if (a.candidate === artifactId) moves.push({ alias: 'candidate', next: null });
  return moves;
}

/** Undo a promotion of `artifactId`: champion = previous, and previous keeps the rolled-back artifact. Nothing when it is no longer champion. */
export function restorePlan(a: AliasMap, artifactId: string): AliasMove[] {
  const moves: AliasMove[] = [];
  if (a.candidate === artifactId) moves.push({ alias: 'candidate', next: null });
  if (a.champion === artifactId) moves.push({ alias: 'champion', next: a.previous }, { alias: 'previous', next: artifactId });
  return moves;
}

/** Make an older artifact champion again (the manual rollback); nothing if it already is. */
export function rollbackPlan(a: AliasMap, artifactId: string): AliasMove[] {
  if (a.champion === artifactId) return [];
  return [{ alias: 'previous', next: a.champion }, { alias: 'champion', next: artifactId }];
}
