/** The rollout audit tells apart a step that could not be measured, one with too little evidence, and a watch that itself failed. */
import type { AuditEvent, AuditHistory } from '../../../src/domain/audit/audit-event';
import { AuditRolloutSchema } from '../../../src/domain/audit/audit-record';
import { auditRollout } from '../../../src/domain/audit/rollout-audit';

const T0 = '2026-02-01T10:00:00.000Z';
const canary = (weight: number) => ({ routing: { stable: { version: 'v1' }, candidate: { version: 'v2', mode: 'canary', weight } } });

/** One setRouting + watchRollout pair per step; `end` is how the watch closed. */
function step(first: number, weight: number, end: Omit<AuditEvent, 'eventId' | 'time'>): AuditEvent[] {
  return [
    { eventId: first, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'setRouting' }, input: [canary(weight)] } },
    { eventId: first + 1, type: 'ACTIVITY_TASK_COMPLETED', time: T0, attrs: { scheduledEventId: first, result: [{}] } },
    { eventId: first + 2, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'watchRollout' }, input: [{}] } },
    { eventId: first + 3, time: T0, ...end, attrs: { scheduledEventId: first + 2, ...end.attrs } },
  ];
}

const watched = (verdict: string, metricsErrors: number) => ({ type: 'ACTIVITY_TASK_COMPLETED', attrs: { result: [{ verdict, reason: `${verdict} reason`, evidence: { verdict }, samples: [], metricsErrors }] } });

describe('rollout audit steps', () => {
  it('records error, inconclusive and a failed watch as three different step verdicts, with the failed measurements counted', () => {
    const child: AuditHistory = {
      workflowId: 'release-credit-1-rollout', runId: 'r', workflowType: 'rolloutWorkflow',
      events: [
        ...step(1, 10, watched('inconclusive', 0)),
        ...step(5, 25, watched('pass', 2)),
        ...step(9, 50, watched('error', 5)),
        ...step(13, 75, { type: 'ACTIVITY_TASK_FAILED', attrs: { failure: { message: 'worker lost' } } }),
      ],
    };
    const rollout = AuditRolloutSchema.parse(auditRollout(child));
    expect(rollout.steps.map((s) => [s.percent, s.verdict, s.metricsErrors])).toEqual([
      [10, 'inconclusive', 0],
      // A short outage the step recovered from still shows in the record.
      [25, 'pass', 2],
      [50, 'error', 5],
      [75, 'watch_failed', undefined],
    ]);
  });
});
