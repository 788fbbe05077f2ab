/**
 * Orchestration overhead per release stage, from the activities' own timings: every gap in which
 * none of a release's activities was working (the release's, and its rollout child's if it ran one, in order) is
 * time the orchestration added, charged to the stage of the step it delayed. A stage's overhead is
 * the sum of its steps' gaps; the last gap (last step done -> release completed) is `complete`.
 * Pure: times in epoch ms.
 */
import type { WorkRecord } from './work-log';

/** The release's stages as the README lists them, in order. */
export const STAGES = ['snapshot', 'train', 'evaluate', 'register', 'deploy', 'rollout', 'promote', 'post-promotion watch', 'complete'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_OF: Record<string, Stage> = {
  snapshotDataset: 'snapshot', trainModel: 'train', evaluateCandidate: 'evaluate', registerVersion: 'register',
  acquireReleaseLock: 'deploy', getRouting: 'deploy', setCandidateAlias: 'deploy', setRouting: 'rollout',
  promoteRelease: 'promote', ensureMonitor: 'promote', releaseReleaseLock: 'complete',
};

/** getAliases runs twice: before evaluation (champion to compare with) and before deploying (is it still champion?). */
function stageOf(r: WorkRecord, seen: Set<string>): Stage | undefined {
  // A watch before the promotion is a rollout step (in the release, or in an older release's rollout child).
  if (r.activity === 'watchRollout') return seen.has('promoteRelease') ? 'post-promotion watch' : 'rollout';
  if (r.activity === 'getAliases') return seen.has('evaluateCandidate') ? 'deploy' : 'evaluate';
  return STAGE_OF[r.activity];
}

export interface StageFigures {
  /** Time no activity of the release was working, per stage, ms. */
  overheadMs: Partial<Record<Stage, number>>;
  /** The activities' own work, per stage, ms. */
  workMs: Partial<Record<Stage, number>>;
}

export function stageOverheads(o: { records: WorkRecord[]; startedMs: number; completedMs: number }): StageFigures {
  const overheadMs: StageFigures['overheadMs'] = {};
  const workMs: StageFigures['workMs'] = {};
  const add = (m: Partial<Record<Stage, number>>, s: Stage, v: number) => void (m[s] = (m[s] ?? 0) + v);
  const seen = new Set<string>();
  let busyUntil = o.startedMs;
  for (const r of [...o.records].sort((a, b) => a.startMs - b.startMs)) {
    const stage = stageOf(r, seen);
    seen.add(r.activity);
    if (!stage) continue; // approval mail and the like run beside the pipeline, not in its path
    add(overheadMs, stage, Math.max(0, r.startMs - busyUntil));
    add(workMs, stage, r.endMs - r.startMs);
    busyUntil = Math.max(busyUntil, r.endMs);
  }
  add(overheadMs, 'complete', Math.max(0, o.completedMs - busyUntil));
  return { overheadMs, workMs };
}
