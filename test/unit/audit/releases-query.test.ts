import { releasesQuery, ReleaseFiltersSchema, sinceTime } from '../../../src/domain/audit/releases-query';

const now = new Date('2026-03-10T12:00:00.000Z');

describe('the releases visibility query', () => {
  it('lists only release workflows when no filter is given', () => {
    expect(releasesQuery(ReleaseFiltersSchema.parse({}), now)).toBe('WorkflowType = "releaseWorkflow"');
  });

  it('combines model, stage, outcome and since into one AND query on the mlgate search attributes', () => {
    const f = ReleaseFiltersSchema.parse({ model: 'credit-risk', stage: 'done', outcome: 'rolled_back', since: '7d' });
    expect(releasesQuery(f, now)).toBe(
      'WorkflowType = "releaseWorkflow" AND mlgateModel = "credit-risk" AND mlgateStage = "done" AND mlgateOutcome = "rolled_back" AND StartTime >= "2026-03-03T12:00:00.000Z"',
    );
  });

  it('reads --since as a duration back from now or as an ISO time', () => {
    expect(sinceTime('24h', now)).toBe('2026-03-09T12:00:00.000Z');
    expect(sinceTime('2026-01-31T00:00:00+01:00', now)).toBe('2026-01-30T23:00:00.000Z');
  });

  it('refuses a model id that could break out of the quoted query value', () => {
    const r = ReleaseFiltersSchema.safeParse({ model: 'x" OR WorkflowType != "' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['model']);
    expect(r.error?.issues[0].message).toMatch(/model id such as "credit-risk"/);
  });

  it('names the accepted values when a stage or outcome is unknown', () => {
    const r = ReleaseFiltersSchema.safeParse({ stage: 'canary', outcome: 'won', limit: 0 });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['stage', 'outcome', 'limit']);
    expect(r.error?.issues[0].message).toBe('expected one of: queued, snapshot, train, evaluate, register, awaiting_deploy_approval, waiting_for_lock, rollout, kpi_bake, awaiting_promote_approval, promoting, post_promotion_watch, rolling_back, done');
    expect(r.error?.issues[1].message).toMatch(/^expected one of: promoted, rejected_offline, rejected_at_gate, gate_timed_out, rolled_back,/);
  });
});
