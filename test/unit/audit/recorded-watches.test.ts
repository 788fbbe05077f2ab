/** What-if reads a release's watches in the order they ran, wherever its rollout ran: in the release, or in an older release's child. */
import type { AuditEvent, AuditHistory } from '../../../src/domain/audit/audit-event';
import { recordedWatches } from '../../../src/domain/audit/recorded-watches';
import { SloSpecSchema } from '../../../src/domain/spec';

const T0 = '2026-02-01T10:00:00.000Z';
const slo = SloSpecSchema.parse({});
let id = 0;
const call = (name: string, input: unknown, result: unknown): AuditEvent[] => {
  const s = ++id;
  return [
    { eventId: s, type: 'ACTIVITY_TASK_SCHEDULED', time: T0, attrs: { activityType: { name }, input: [input] } },
    { eventId: ++id, type: 'ACTIVITY_TASK_COMPLETED', time: T0, attrs: { scheduledEventId: s, result: [result] } },
  ];
};
const routing = (weight: number) => call('setRouting', { routing: { stable: { version: 'v1' }, candidate: { version: 'v2', mode: 'canary', weight } } }, {});
const watch = (verdict: string, stableVersion: string | null) => call('watchRollout', { candidateVersion: 'v2', stableVersion, mode: 'canary', slo }, { verdict, reason: verdict });
const history = (workflowType: string, events: AuditEvent[]): AuditHistory => ({ workflowId: 'w', runId: 'r', workflowType, events });
const labels = (runs: AuditHistory[], children: AuditHistory[]) => recordedWatches(runs, children).map((w) => [w.label, w.verdict]);

describe('recordedWatches', () => {
  it('labels the watches of a rollout run in the release by their step, and the one after the promotion as the post-promotion watch', () => {
    const release = history('releaseWorkflow', [...routing(10), ...watch('pass', 'v1'), ...routing(50), ...watch('pass', 'v1'), ...call('promoteRelease', {}, {}), ...watch('inconclusive', null)]);
    expect(labels([release], [])).toEqual([['10% step', 'pass'], ['50% step', 'pass'], ['post-promotion watch', 'inconclusive']]);
  });

  it('reads an older release the same way: the child\'s steps first, then the release\'s post-promotion watch', () => {
    const child = history('rolloutWorkflow', [...routing(50), ...watch('pass', 'v1')]);
    const release = history('releaseWorkflow', [...call('promoteRelease', {}, {}), ...watch('pass', null)]);
    expect(labels([release], [child])).toEqual([['50% step', 'pass'], ['post-promotion watch', 'pass']]);
  });
});
