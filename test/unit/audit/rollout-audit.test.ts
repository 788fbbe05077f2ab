/**
 * The rollout audit tells apart a step that could not be measured, one with too little evidence, and
 * a watch that itself failed; and reads a rollout from its child's history or from its release's.
 */
import type { AuditEvent, AuditHistory } from '../../../src/domain/audit/audit-event';
import { AuditRolloutSchema } from '../../../src/domain/audit/audit-record';
import { auditRollout, auditRolloutInRelease } from '../../../src/domain/audit/rollout-audit';
import { abExperimentReason, abSloBreachReason, rolloutStepReason } from '../../../src/domain/release-evidence';

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

describe('rollout audit of an A/B step', () => {
  const abRouting = { routing: { stable: { version: 'v1' }, candidate: { version: 'v2', mode: 'canary', weight: 50 }, stickyHeader: 'x-user-id', stickyRequired: true } };
  const experiment = { kpi: 'conversion', verdict: 'loser', reason: 'the candidate is worse', minEffect: 0.2, alpha: 0.05, candidateShare: 0.5, points: [] };
  const events = (sloEnd: Omit<AuditEvent, 'eventId' | 'time' | 'attrs'> & { attrs: Record<string, unknown> }, expEnd: Omit<AuditEvent, 'eventId' | 'time' | 'attrs'> & { attrs: Record<string, unknown> }): AuditEvent[] => [
    { eventId: 1, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'setRouting' }, input: [abRouting] } },
    { eventId: 2, type: 'ACTIVITY_TASK_COMPLETED', time: T0, attrs: { scheduledEventId: 1, result: [{}] } },
    { eventId: 3, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'watchRollout' }, input: [{}] } },
    { eventId: 4, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name: 'watchExperiment' }, input: [{}] } },
    { eventId: 5, time: T0, ...expEnd, attrs: { scheduledEventId: 4, ...expEnd.attrs } },
    { eventId: 6, time: T0, ...sloEnd, attrs: { scheduledEventId: 3, ...sloEnd.attrs } },
  ];
  const cancelled = { type: 'ACTIVITY_TASK_CANCELED', attrs: {} };

  it('records the experiment\'s call as the step verdict, with the KPI evidence, when the experiment decided', () => {
    const child: AuditHistory = { workflowId: 'w', runId: 'r', workflowType: 'rolloutWorkflow', events: events(cancelled, { type: 'ACTIVITY_TASK_COMPLETED', attrs: { result: [{ experiment, elapsedMs: 1, readErrors: 0 }] } }) };
    const [s] = AuditRolloutSchema.parse(auditRollout(child)).steps;
    expect([s.percent, s.verdict, s.experiment, s.reason]).toEqual([50, 'fail', true, 'A/B loser: the candidate is worse']);
    expect(s.evidence).toEqual(experiment);
  });

  it('keeps the SLO watch\'s breach as the step verdict when it ended the experiment', () => {
    const child: AuditHistory = { workflowId: 'w', runId: 'r', workflowType: 'rolloutWorkflow', events: events(watched('fail', 0), cancelled) };
    const [s] = AuditRolloutSchema.parse(auditRollout(child)).steps;
    expect([s.verdict, s.experiment, s.reason]).toEqual(['fail', undefined, 'fail reason']);
  });
});

describe('rollout audit of a rollout run in the release itself', () => {
  const scheduled = (eventId: number, name: string, input: unknown = {}): AuditEvent => ({ eventId, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name }, input: [input] } });
  const completed = (eventId: number, scheduledEventId: number, result: unknown = {}): AuditEvent => ({ eventId, type: 'ACTIVITY_TASK_COMPLETED', time: T0, attrs: { scheduledEventId, result: [result] } });
  const release = (events: AuditEvent[]) => ({ workflowId: 'release-credit-2', events });

  it('reads the steps before the promotion and words the verdict and reason as the rollout does; the post-promotion watch is not a step', () => {
    const events = [
      scheduled(1, 'getAliases'), completed(2, 1, { champion: 'v1' }),
      ...step(3, 25, watched('pass', 0)),
      ...step(7, 50, watched('pass', 0)),
      scheduled(11, 'promoteRelease'), completed(12, 11),
      scheduled(13, 'watchRollout'), completed(14, 13, { verdict: 'fail', reason: 'post-promotion breach', samples: [] }),
    ];
    const rollout = AuditRolloutSchema.parse(auditRolloutInRelease(release(events)));
    expect(rollout.steps.map((s) => [s.percent, s.verdict])).toEqual([[25, 'pass'], [50, 'pass']]);
    expect([rollout.workflowId, rollout.verdict, rollout.reason]).toEqual(['release-credit-2', 'pass', rolloutStepReason({ percent: 50 }, 'pass reason')]);
  });

  it('gives the failing step as the rollout\'s verdict and reason, the reason a rollback of the rollout carries', () => {
    const rollout = auditRolloutInRelease(release([...step(1, 10, watched('pass', 0)), ...step(5, 50, watched('fail', 0))]));
    expect([rollout?.verdict, rollout?.reason]).toEqual(['fail', '50% step: fail reason']);
  });

  it('has no verdict while the deciding watch runs, and no rollout at all when the release never moved traffic', () => {
    const running = auditRolloutInRelease(release(step(1, 10, { type: 'ACTIVITY_TASK_CANCELED', attrs: {} })));
    expect(running?.steps.map((s) => s.percent)).toEqual([10]);
    expect(running?.verdict).toBeUndefined();
    expect(auditRolloutInRelease(release([scheduled(1, 'getAliases'), completed(2, 1)]))).toBeUndefined();
  });

  it('words an A/B rollout by what decided it: the experiment, or the SLO watch that ended it', () => {
    const loser = { verdict: 'loser', reason: 'the candidate is worse' };
    const ab = (slo: unknown, exp: unknown): AuditEvent[] => [
      scheduled(1, 'setRouting', { routing: { stable: { version: 'v1' }, candidate: { version: 'v2', mode: 'canary', weight: 50 } } }), completed(2, 1),
      scheduled(3, 'watchRollout'), scheduled(4, 'watchExperiment'),
      exp === null ? { eventId: 5, type: 'ACTIVITY_TASK_CANCELED', time: T0, attrs: { scheduledEventId: 4 } } : completed(5, 4, { experiment: exp }),
      slo === null ? { eventId: 6, type: 'ACTIVITY_TASK_CANCELED', time: T0, attrs: { scheduledEventId: 3 } } : completed(6, 3, slo),
    ];
    const byExperiment = auditRolloutInRelease(release(ab(null, loser)));
    expect([byExperiment?.verdict, byExperiment?.reason]).toEqual(['fail', abExperimentReason(50, 'loser', 'the candidate is worse')]);
    const bySlo = auditRolloutInRelease(release(ab({ verdict: 'fail', reason: 'error rate', samples: [] }, null)));
    expect([bySlo?.verdict, bySlo?.reason]).toEqual(['fail', abSloBreachReason(50, 'error rate')]);
  });
});
