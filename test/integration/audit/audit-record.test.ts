import { Worker } from '@temporalio/worker';
import { buildAuditRecord, exportHistory, InvalidFiltersError, listReleases, modelHistory, renderModelHistory, renderReleases, renderAuditMarkdown, verifyAgainstExport, verifyAuditRecord, AuditRecordSchema, type AuditRecord, type HistoryExport } from '../../../src/audit';
import { recordDigest } from '../../../src/audit/digest';
import type { ReleaseFiltersInput } from '../../../src/audit';
import { waitForStage } from '../../helpers/release-env';
import { bundleWorkflows } from '../../helpers/temporal';
import { runAuditScenario, type AuditScenario } from './audit-scenario';
import { expectOutcome } from '../../helpers/outcome';

describe('audit records of real releases on a real Temporal server', () => {
  let s: AuditScenario;
  const refused = (id: string) => s.env.opened.approvalsStore.refused.list({ releaseId: id });
  const audit = async (id: string) => buildAuditRecord({ client: s.env.client, releaseId: id, refusedAttempts: await refused(id) });

  beforeAll(async () => {
    s = await runAuditScenario();
  }, 180_000);
  afterAll(async () => s?.close());

  it('names trigger, lineage, both approvers with their channels and comments, refused attempts and the promotion of an approved release', async () => {
    const r = await audit(s.approved.id);
    expectOutcome(s.approved.result, 'promoted');
    expect(r.trigger).toMatchObject({ requester: 'carol@example.com', reason: 'drift', reasonDetail: 'psi 0.31 on income' });
    expect(r.lineage).toMatchObject({ artifactId: s.approved.result.artifactId, snapshotId: s.approved.result.snapshotId, codeVersion: 'git-abc123', trainer: 'builtin', seed: 7 });
    expect(r.spec?.hash).toMatch(/^[a-f0-9]{64}$/);
    expect(r.offline?.pass).toBe(true);
    expect(r.offline?.evidence.metrics.auc).toBeGreaterThan(0.6);
    const [deploy, promote] = r.gates;
    expect(deploy.decisions.map((d) => [d.approver, d.decision, d.channel, d.comment])).toEqual([['alice@example.com', 'approve', 'cli', 'approve in test']]);
    expect(promote.decisions.map((d) => [d.approver, d.decision, d.channel, d.comment])).toEqual([['bob@example.com', 'approve', 'api', 'canary curves are flat']]);
    expect(deploy.notifications.map((n) => n.kind)).toContain('opened');
    expect(r.refusedAttempts.map((a) => [a.who, a.code, a.source])).toEqual(
      expect.arrayContaining([['carol@example.com', 'SELF_APPROVAL', 'log'], ['mallory@example.com', 'NOT_ALLOWED', 'signal']]),
    );
    expect(r.rollout?.steps.map((x) => [x.percent, x.verdict])).toEqual([[100, 'pass']]);
    expect(r.promotion).toMatchObject({ artifactId: s.approved.result.artifactId, previousChampion: null });
    expect(r.rollback).toBeUndefined();
    expect(r.final).toMatchObject({ status: 'completed', outcome: 'promoted' });
    // The rollout ran in the release itself: one history, and the rollout read from it.
    expect(r.histories.map((h) => h.workflowType)).toEqual(['releaseWorkflow']);
    expect(r.rollout).toMatchObject({ workflowId: s.approved.id, verdict: 'pass' });
    expect(r.rollout?.reason).toMatch(/^100% step: /);
    const md = renderAuditMarkdown(r);
    expect(md).toMatch(/\*\*approve\*\* by bob@example.com via api/);
    expect(md).toMatch(/outcome \*\*promoted\*\*/);
  });

  it('records the rejecting approver, channel and comment, and no rollout, for a release rejected at the deploy gate', async () => {
    const r = await audit(s.rejected.id);
    expect(r.gates[0]).toMatchObject({ gate: 'deploy', status: 'rejected' });
    expect(r.gates[0].decisions).toEqual([expect.objectContaining({ approver: 'bob@example.com', decision: 'reject', channel: 'api', comment: 'slice gap on region=north is too wide' })]);
    expect(r.gates[1].status).toBe('pending');
    expect(r.rollout).toBeUndefined();
    expect(r.rollback).toBeUndefined();
    expect(r.final).toMatchObject({ outcome: 'rejected_at_gate' });
    expect(r.final.reasons.join(' ')).toMatch(/rejected by bob@example.com/);
  });

  it('ties an automatic rollback to the failing canary step and its error-rate evidence', async () => {
    const r = await audit(s.autoRolledBack.id);
    expectOutcome(s.autoRolledBack.result, 'rolled_back');
    expect(r.rollout?.verdict).toBe('fail');
    expect(r.rollout?.steps[0]).toMatchObject({ percent: 50, mode: 'canary', verdict: 'fail' });
    expect(JSON.stringify(r.rollout?.steps[0].evidence)).toMatch(/error/i);
    expect(r.rollback).toMatchObject({ cause: 'rollout_analysis', by: 'mlgate', from: s.autoRolledBack.result.artifactId, to: s.approved.result.artifactId });
    expect(r.rollback?.evidence).toEqual(r.rollout?.steps[0]);
    expect(r.final).toMatchObject({ status: 'completed', outcome: 'rolled_back' });
  });

  it('renders a manual rollback with who asked, why, and what served before and after', async () => {
    const r = await buildAuditRecord({ client: s.env.client, releaseId: s.manual.id });
    expect(r.kind).toBe('rollback');
    expect(r.trigger).toMatchObject({ requester: 'dave@example.com', reason: 'drill: serve the retrained model' });
    expect(r.rollback).toMatchObject({ cause: 'manual', by: 'dave@example.com', from: s.approved.result.artifactId, to: s.manual.to });
    expect(r.final).toMatchObject({ status: 'completed', outcome: 'rolled_back' });
  });

  it('verifies an exported record against the live history, and fails a modified one naming what changed', async () => {
    const exported = JSON.parse(JSON.stringify(await audit(s.approved.id))) as AuditRecord;
    const client = s.env.client;
    expect(await verifyAuditRecord({ client, record: exported, refusedAttempts: await refused(s.approved.id) })).toMatchObject({ ok: true, problems: [] });
    const edited = structuredClone(exported);
    edited.gates[1].decisions[0].approver = 'eve@example.com';
    const plain = await verifyAuditRecord({ client, record: edited });
    expect(plain.ok).toBe(false);
    expect(plain.problems.join('\n')).toMatch(/recordDigest/);
    // Re-sealing the edited file does not help: the record rebuilt from history differs.
    const resealed = { ...edited, integrity: { ...edited.integrity, recordDigest: recordDigest(edited) } };
    const r = await verifyAuditRecord({ client, record: resealed });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(['gates: differs from the record rebuilt from the live history']);
  });

  it('fails verification when a history digest in the record does not match the live history', async () => {
    const exported = await audit(s.rejected.id);
    const forged = { ...exported, histories: exported.histories.map((h) => ({ ...h, digest: '0'.repeat(64) })) };
    const r = await verifyAuditRecord({ client: s.env.client, record: { ...forged, integrity: { ...forged.integrity, recordDigest: recordDigest(forged) } } });
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/digest differs from the live history/);
  });

  it('exports raw histories in the SDK format that today\'s workflow code replays without nondeterminism', async () => {
    const exp = await exportHistory({ client: s.env.client, releaseId: s.autoRolledBack.id });
    const text = JSON.stringify(exp);
    const back = JSON.parse(text) as typeof exp;
    expect(back.histories.map((h) => h.workflowType)).toEqual(['releaseWorkflow']);
    const workflowBundle = await bundleWorkflows();
    for (const h of back.histories) await Worker.runReplayHistory({ workflowBundle }, h.history, h.workflowId);
  });

  it('verifies a record offline against an archived history export, and fails it against another release\'s export', async () => {
    const record = await audit(s.autoRolledBack.id);
    const archived = JSON.parse(JSON.stringify(await exportHistory({ client: s.env.client, releaseId: s.autoRolledBack.id }))) as HistoryExport;
    expect(verifyAgainstExport(record, archived, await refused(s.autoRolledBack.id))).toMatchObject({ ok: true, problems: [] });
    const other = await exportHistory({ client: s.env.client, releaseId: s.approved.id });
    const r = verifyAgainstExport(record, {
      ...other, releaseId: s.autoRolledBack.id,
      histories: other.histories.map((h) => ({ ...h, workflowId: h.workflowId.replace(s.approved.id, s.autoRolledBack.id) })),
    });
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/is not on the server|digest differs/);
  });

  it('shows the model\'s production timeline: promoted by the first release, then replaced by the manual rollback', async () => {
    const t = await modelHistory({ client: s.env.client, registry: s.env.opened.deps.pipeline.registry, model: s.modelA });
    expect(t.current).toBe(s.manual.to);
    expect(t.periods.map((p) => [p.artifactId, p.cause.kind, p.cause.releaseId, p.cause.outcome])).toEqual([
      [s.approved.result.artifactId, 'promotion', s.approved.id, 'promoted'],
      [s.manual.to, 'manual_rollback', s.manual.id, 'rolled_back'],
    ]);
    expect(t.periods[0].until).toBe(t.periods[1].from);
    expect(renderModelHistory(t)).toContain(`${s.manual.to}  manual_rollback via ${s.manual.id} (rolled_back) by dave@example.com: drill: serve the retrained model  [serving]`);
  });

  it('says which release was not found instead of building an empty record', async () => {
    await expect(buildAuditRecord({ client: s.env.client, releaseId: 'release-nosuchmodel-1' })).rejects.toThrow(/release-nosuchmodel-1 was not found .*mlgate releases/);
  });

  it('produces records that satisfy the documented schema', async () => {
    for (const id of [s.approved.id, s.rejected.id, s.autoRolledBack.id]) expect(AuditRecordSchema.safeParse(await audit(id)).success).toBe(true);
  });

  describe('mlgate releases through the dev server\'s visibility', () => {
    // Visibility is eventually consistent: poll until the expected set shows, then assert on it.
    const ids = (filters: ReleaseFiltersInput, want: number) =>
      waitForStage(async () => (await listReleases({ client: s.env.client, filters })).map((r) => r.releaseId), (l) => l.length >= want, 10_000);

    it('lists every release of a model, newest first, with its stage and outcome', async () => {
      expect(await ids({ model: s.modelA }, 2)).toEqual([s.autoRolledBack.id, s.approved.id]);
      const rows = await listReleases({ client: s.env.client, filters: { model: s.modelA } });
      expect(rows.map((r) => [r.model, r.stage, r.outcome, r.riskClass, r.status])).toEqual([
        [s.modelA, 'done', 'rolled_back', 'medium', 'COMPLETED'],
        [s.modelA, 'done', 'promoted', 'medium', 'COMPLETED'],
      ]);
      expect(renderReleases(rows).split('\n')[1]).toMatch(new RegExp(`^${s.autoRolledBack.id}\\s+${s.modelA}\\s+done\\s+rolled_back`));
    });

    it('filters by outcome and stage together with the model', async () => {
      expect(await ids({ model: s.modelA, outcome: 'rolled_back' }, 1)).toEqual([s.autoRolledBack.id]);
      expect(await ids({ model: s.modelB, stage: 'done', outcome: 'rejected_at_gate' }, 1)).toEqual([s.rejected.id]);
      expect(await listReleases({ client: s.env.client, filters: { model: s.modelB, outcome: 'promoted' } })).toEqual([]);
    });

    it('filters by start time with --since as a duration or an ISO time', async () => {
      expect(await ids({ model: s.modelB, since: '1h' }, 1)).toEqual([s.rejected.id]);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect(await listReleases({ client: s.env.client, filters: { model: s.modelB, since: future } })).toEqual([]);
    });

    it('refuses a bad filter with an error naming the field and the accepted values', async () => {
      const bad = listReleases({ client: s.env.client, filters: { outcome: 'won' as never, since: 'yesterday' } });
      await expect(bad).rejects.toBeInstanceOf(InvalidFiltersError);
      await expect(bad).rejects.toThrow(/outcome: expected one of: promoted, .*since: expected an ISO time/s);
    });
  });
});
