import { productionTimeline, type AliasChangeLike, type ChangeSource } from '../../../src/domain/audit/production-timeline';

const change = (c: Partial<AliasChangeLike> & Pick<AliasChangeLike, 'to' | 'at'>): AliasChangeLike => ({ alias: 'champion', from: null, actor: 'mlgate', reason: '', releaseId: null, ...c });

describe('a model\'s production timeline', () => {
  const changes: AliasChangeLike[] = [
    change({ alias: 'candidate', to: 'art-a', at: '2026-01-01T00:00:00Z', releaseId: 'release-m-1' }),
    change({ to: 'art-a', at: '2026-01-01T01:00:00Z', reason: 'promoted by release-m-1', releaseId: 'release-m-1' }),
    change({ to: 'art-b', from: 'art-a', at: '2026-01-02T00:00:00Z', reason: 'promoted by release-m-2', releaseId: 'release-m-2' }),
    change({ to: 'art-a', from: 'art-b', at: '2026-01-02T00:05:00Z', reason: 'post-promotion watch: error rate 0.4 > 0.02', releaseId: 'release-m-2' }),
    change({ to: 'art-b', from: 'art-a', at: '2026-01-03T00:00:00Z', actor: 'dave@example.com', reason: 'drill', releaseId: 'rollback-m-1' }),
  ];
  const sources = new Map<string, ChangeSource>([
    ['release-m-1', { workflowType: 'releaseWorkflow', outcome: 'promoted' }],
    ['release-m-2', { workflowType: 'releaseWorkflow', outcome: 'rolled_back' }],
    ['rollback-m-1', { workflowType: 'rollbackWorkflow', outcome: 'rolled_back' }],
  ]);

  it('has one serving period per champion change, each ending when the next begins', () => {
    const t = productionTimeline('m', changes, sources);
    expect(t.periods.map((p) => [p.artifactId, p.from, p.until])).toEqual([
      ['art-a', '2026-01-01T01:00:00Z', '2026-01-02T00:00:00Z'],
      ['art-b', '2026-01-02T00:00:00Z', '2026-01-02T00:05:00Z'],
      ['art-a', '2026-01-02T00:05:00Z', '2026-01-03T00:00:00Z'],
      ['art-b', '2026-01-03T00:00:00Z', null],
    ]);
    expect(t.current).toBe('art-b');
  });

  it('says why each change happened: promotion, automatic rollback or manual rollback, with the outcome', () => {
    const t = productionTimeline('m', changes, sources);
    expect(t.periods.map((p) => [p.cause.kind, p.cause.outcome, p.cause.actor])).toEqual([
      ['promotion', 'promoted', 'mlgate'],
      ['promotion', 'rolled_back', 'mlgate'],
      ['rollback', 'rolled_back', 'mlgate'],
      ['manual_rollback', 'rolled_back', 'dave@example.com'],
    ]);
    expect(t.periods[2].cause.reason).toMatch(/error rate/);
  });

  it('is empty, serving nothing, for a model that was never promoted', () => {
    expect(productionTimeline('m', [changes[0]], sources)).toEqual({ model: 'm', current: null, periods: [] });
  });
});
