/**
 * A model's production timeline: which artifact served (was champion) when, and why each change
 * happened, joined with the outcome of the release or rollback that made it. Pure.
 */

import type { AliasChange } from '../registry/aliases';

/** One alias change, without the model (the timeline is of one model). */
export type AliasChangeLike = Omit<AliasChange, 'model'>;

/** What visibility says about the workflow that made a change. */
export interface ChangeSource {
  workflowType: string;
  outcome: string | null;
}

export const ChangeKind = { promotion: 'promotion', rollback: 'rollback', manualRollback: 'manual_rollback', other: 'other' } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

export interface ChampionChange {
  at: string;
  from: string | null;
  to: string | null;
  kind: ChangeKind;
  actor: string;
  reason: string;
  releaseId: string | null;
  /** The outcome of that release or rollback workflow, when visibility knows it. */
  outcome: string | null;
}

export interface ServingPeriod {
  artifactId: string | null;
  from: string;
  /** null while it still serves. */
  until: string | null;
  /** The change that started this period. */
  cause: ChampionChange;
}

export interface ProductionTimeline {
  model: string;
  current: string | null;
  periods: ServingPeriod[];
}

function kindOf(c: AliasChangeLike, source: ChangeSource | undefined): ChangeKind {
  if (source?.workflowType === 'rollbackWorkflow') return 'manual_rollback';
  if (c.reason.startsWith('promoted by')) return 'promotion';
  if (source?.workflowType === 'releaseWorkflow') return 'rollback';
  return 'other';
}

export function productionTimeline(model: string, changes: readonly AliasChangeLike[], sources: ReadonlyMap<string, ChangeSource>): ProductionTimeline {
  const champion = changes.filter((c) => c.alias === 'champion' && c.from !== c.to);
  const periods: ServingPeriod[] = champion.map((c, i) => {
    const source = c.releaseId ? sources.get(c.releaseId) : undefined;
    const cause: ChampionChange = { at: c.at, from: c.from, to: c.to, kind: kindOf(c, source), actor: c.actor, reason: c.reason, releaseId: c.releaseId, outcome: source?.outcome ?? null };
    return { artifactId: c.to, from: c.at, until: champion[i + 1]?.at ?? null, cause };
  });
  return { model, current: periods.at(-1)?.artifactId ?? null, periods };
}
