import { renderStatus } from '../../../src/cli/render-status';
import type { NotificationRecord, ReleaseStatus } from '../../../src/domain/release-status';

function status(notifications: NotificationRecord[]): ReleaseStatus {
  return {
    releaseId: 'release-credit-1', runId: 'run-1', model: 'credit', riskClass: 'medium', stage: 'awaiting_deploy_approval',
    requester: 'carol@example.com', owner: 'owner@example.com', gates: [], evidence: { offline: { metrics: {}, delta: {}, slices: [] } },
    reason: 'manual', reasonDetail: '', timeline: [], reasons: [], notifications,
  };
}

describe('mlgate status: approval mail lines', () => {
  it('shows a batch being retried with its error, attempt count and next attempt', () => {
    const out = renderStatus(status([{ gate: 'deploy', kind: 'opened', at: '2026-01-01T00:00:02Z', sent: [], error: 'connect ECONNREFUSED 127.0.0.1:2525', state: 'retrying', attempts: 2, nextAttemptAt: '2026-01-01T00:00:06Z' }]));
    expect(out).toContain('mail for deploy (opened) failing after 2 attempts: connect ECONNREFUSED 127.0.0.1:2525; retrying at 2026-01-01T00:00:06Z');
  });

  it('shows a batch that gave up as failed and not retried', () => {
    const out = renderStatus(status([{ gate: 'promote', kind: 'reminder', at: '2026-01-01T00:01:00Z', sent: [], error: 'connect ECONNREFUSED', state: 'failed', attempts: 8 }]));
    expect(out).toContain('mail for promote (reminder) failed after 8 attempts: connect ECONNREFUSED; not retried');
  });

  it('prints no mail line for a sent batch', () => {
    expect(renderStatus(status([{ gate: 'deploy', kind: 'opened', at: '2026-01-01T00:00:00Z', sent: ['alice@example.com'], state: 'sent', attempts: 1 }]))).not.toContain('mail for');
  });
});

describe('mlgate status: rollout steps', () => {
  it('tells a step that could not be measured (error) from one with too little evidence (inconclusive), with the hold reason', () => {
    const s: ReleaseStatus = {
      ...status([]),
      stage: 'awaiting_promote_approval',
      evidence: { offline: { metrics: {}, delta: {}, slices: [] }, canary: { steps: [{ percent: 10, verdict: 'inconclusive', samples: [] }, { percent: 50, verdict: 'error', samples: [] }] } },
      reasons: ['rollout could not be measured (metrics error), held for a human: 50% step: metrics unavailable: fetch failed (5 failed measurements in a row, limit 4)'],
    };
    const out = renderStatus(s);
    expect(out).toContain('rollout step 10%: inconclusive (too little evidence)');
    expect(out).toContain('rollout step 50%: error (could not measure: metrics source unavailable)');
    expect(out).toContain('- rollout could not be measured (metrics error), held for a human');
  });

  it('shows an A/B experiment\'s verdict with its last difference and confidence sequence', () => {
    const point = { t: 30, estimate: 0.41, lower: 0.12, upper: 0.7, candidateN: 120, controlN: 118 };
    const experiment = { kpi: 'conversion', verdict: 'winner' as const, reason: 'the candidate is better', minEffect: 0.2, alpha: 0.05, candidateShare: 0.5, points: [point] };
    const out = renderStatus({ ...status([]), evidence: { offline: { metrics: {}, delta: {}, slices: [] }, experiment } });
    expect(out).toContain('A/B experiment on conversion (50% candidate): winner, difference 0.4100 in [0.1200, 0.7000] after 120/118 values');
  });
});
