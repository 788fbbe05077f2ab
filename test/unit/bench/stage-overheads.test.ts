import { stageOverheads } from '../../../bench/overhead/stages';
import type { WorkRecord } from '../../../bench/overhead/work-log';

const rec = (activity: string, startMs: number, endMs: number, workflowId = 'release-m-1'): WorkRecord => ({ workflowId, activity, local: false, startMs, endMs });

describe('stageOverheads', () => {
  it('charges each idle gap to the stage of the step it delayed and keeps own work apart', () => {
    const f = stageOverheads({
      records: [rec('trainModel', 150, 400), rec('snapshotDataset', 20, 100), rec('getAliases', 430, 431), rec('evaluateCandidate', 450, 500)],
      startedMs: 0, completedMs: 540,
    });
    expect(f.overheadMs).toEqual({ snapshot: 20, train: 50, evaluate: 30 + 19, complete: 40 });
    expect(f.workMs).toEqual({ snapshot: 80, train: 250, evaluate: 1 + 50 });
  });

  it.each([
    ['in the release itself', 'release-m-1'],
    ['in an older release\'s rollout child', 'release-m-1-rollout'],
  ])('puts the second alias read in deploy, the watches before promotion in rollout and the one after in post-promotion watch (rollout %s)', (_where, rolloutId) => {
    const f = stageOverheads({
      records: [
        rec('evaluateCandidate', 0, 10), rec('getAliases', 15, 16), rec('setRouting', 30, 31, rolloutId),
        rec('watchRollout', 35, 1035, rolloutId), rec('promoteRelease', 1050, 1060), rec('watchRollout', 1100, 2100),
      ],
      startedMs: 0, completedMs: 2100,
    });
    expect(f.overheadMs.deploy).toBe(5);
    expect(f.overheadMs.rollout).toBe(14 + 4);
    expect(f.overheadMs.promote).toBe(15);
    expect(f.overheadMs['post-promotion watch']).toBe(40);
  });

  it('counts no negative gap for a step that starts while another still runs, and ignores steps beside the pipeline', () => {
    const f = stageOverheads({ records: [rec('snapshotDataset', 0, 100), rec('sendApprovalEmails', 50, 500), rec('trainModel', 90, 200)], startedMs: 0, completedMs: 200 });
    expect(f.overheadMs).toEqual({ snapshot: 0, train: 0, complete: 0 });
  });
});
