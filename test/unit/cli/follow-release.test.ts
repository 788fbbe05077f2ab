import { followLines, followRelease } from '../../../src/cli/follow-release';
import type { ReleaseStatus } from '../../../src/domain/release-status';
import type { GateState } from '../../../src/domain/approval/gate-state';
import { expectOutcome } from '../../helpers/outcome';

const T0 = Date.parse('2026-01-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const gate = (g: 'deploy' | 'promote', status: GateState['status']): GateState => ({ gate: g, status, opening: 1, approvers: ['alice@example.com'], required: 1, decisions: [], refused: [], escalated: false });

function status(stages: Array<[string, number]>, o: Partial<ReleaseStatus> = {}): ReleaseStatus {
  return {
    releaseId: 'release-m-1', runId: 'r', model: 'm', riskClass: 'medium', stage: stages[stages.length - 1][0], requester: 'carol@example.com', gates: [gate('deploy', 'pending'), gate('promote', 'pending')],
    evidence: { offline: { metrics: {}, delta: {}, slices: [] } }, reason: 'manual', reasonDetail: '', timeline: stages.map(([stage, s]) => ({ stage: stage as ReleaseStatus['stage'], at: at(s) })), reasons: [], notifications: [], ...o,
  } as ReleaseStatus;
}

describe('mlgate release --follow', () => {
  it('shows one line per stage with its duration, and the running stage with the time so far and the canary step', () => {
    const s = status([['snapshot', 0], ['train', 1.5], ['rollout', 4]]);
    expect(followLines(s, new Date(T0 + 10_000), 'canary step: 50% of traffic on the candidate')).toEqual([
      '  ✓ snapshot                   1.5s',
      '  ✓ train                      2.5s',
      '  ▸ rollout                    6.0s so far  canary step: 50% of traffic on the candidate',
    ]);
  });

  it('names the gate a release waits on, and ends with the outcome', () => {
    const waiting = status([['evaluate', 0], ['awaiting_deploy_approval', 2]], { gates: [gate('deploy', 'open'), gate('promote', 'pending')] });
    expect(followLines(waiting, new Date(T0 + 62_000), null).at(-1)).toBe('  ▸ awaiting_deploy_approval   1m00s so far  waiting: deploy gate, 0/1 approvals from alice@example.com');
    const done = status([['promoting', 0], ['done', 3]], { outcome: 'promoted' });
    expect(followLines(done, new Date(T0 + 99_000), null).slice(-2)).toEqual(['  ✓ done', '  outcome: promoted']);
  });

  it('prints a plain line whenever the stage, the gate or the canary step changes when the output is not a terminal', async () => {
    const reads = [
      status([['snapshot', 0]]),
      status([['snapshot', 0]]),
      status([['snapshot', 0], ['rollout', 2]]),
      status([['snapshot', 0], ['rollout', 2]]),
      status([['snapshot', 0], ['rollout', 2], ['done', 9]], { outcome: 'promoted' }),
    ];
    const canary = ['canary step: 50% of traffic on the candidate', 'canary step: 100% of traffic on the candidate'];
    const written: string[] = [];
    const out = { isTTY: false, write: (t: string) => written.push(t) };
    const final = await followRelease({ read: async () => reads.shift()!, canary: async () => canary.shift() ?? null, out, intervalMs: 0, now: () => new Date(T0) });
    expectOutcome(final, 'promoted');
    expect(written).toEqual([
      '  [+0.0s] snapshot\n',
      '  [+0.0s] rollout  canary step: 50% of traffic on the candidate\n',
      '  [+0.0s] rollout  canary step: 100% of traffic on the candidate\n',
      '  [+0.0s] done  outcome promoted\n',
    ]);
    expect(written.join('').includes(String.fromCharCode(27))).toBe(false);
  });
});
