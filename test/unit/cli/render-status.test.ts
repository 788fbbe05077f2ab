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
