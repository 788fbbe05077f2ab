/** The human-readable audit record (`mlgate audit <release>`): markdown, one section per question an auditor asks. */
import type { AuditGate, AuditRecord } from './audit-record';

const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v));
const metrics = (m: Record<string, number> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || '-';

function gateSection(g: AuditGate): string[] {
  const out = [`### Gate \`${g.gate}\`: ${g.status}`, ''];
  out.push(`- needs ${g.required} of: ${g.approvers.join(', ') || '(nobody)'}`);
  if (g.openedAt) out.push(`- opened ${g.openedAt}${g.deadline ? `, deadline ${g.deadline}` : ''}`);
  for (const n of g.notifications) out.push(`- ${n.kind} mail ${n.at} to ${n.recipients.join(', ')}${n.error ? ` (failed: ${n.error})` : ''}`);
  for (const d of g.decisions) out.push(`- **${d.decision}** by ${d.approver} via ${d.channel} at ${d.at}${d.comment ? `: "${d.comment}"` : ''}`);
  if (g.closedAt) out.push(`- closed ${g.closedAt}: ${g.closedReason ?? ''}`);
  return [...out, ''];
}

function releaseSections(r: AuditRecord): string[] {
  const out: string[] = [];
  if (r.spec) out.push('## Spec and policy', '', `- risk class ${r.spec.riskClass}, owner ${r.spec.owner}`, `- spec sha256 \`${r.spec.hash}\``, `- policy sha256 \`${r.spec.policyHash}\``, '');
  const l = r.lineage;
  if (l) out.push('## Lineage', '', `- snapshot \`${l.snapshotId ?? '-'}\` (${l.trainRows ?? '?'} train / ${l.testRows ?? '?'} test rows)`, `- code ${l.codeVersion ?? '-'}, trainer ${l.trainer ?? '-'} ${l.algorithm ?? ''}, seed ${l.seed ?? '-'}`, `- params \`${JSON.stringify(l.params ?? {})}\``, `- artifact \`${l.artifactId ?? '-'}\``, '');
  const o = r.offline;
  if (o) {
    out.push('## Offline evaluation', '', `- ${o.pass ? 'passed' : 'failed'}${o.reasons.length ? `: ${o.reasons.join('; ')}` : ''}`, `- candidate: ${metrics(o.evidence.metrics)}`, `- champion ${o.championArtifactId ?? '(none)'}: ${metrics(o.evidence.champion)}`);
    for (const s of o.evidence.slices) out.push(`- slice ${s.slice} (${s.count} rows): ${metrics(s.metrics)}${s.champion ? ` vs champion ${metrics(s.champion)}` : ''}`);
    out.push('');
  }
  out.push('## Gates', '', ...r.gates.flatMap(gateSection));
  if (r.refusedAttempts.length) out.push('## Refused attempts', '', ...r.refusedAttempts.map((a) => `- ${a.at} ${a.who} on ${a.gate} via ${a.channel}: ${a.code} (${a.reason})`), '');
  if (r.rollout) {
    out.push('## Rollout', '', `- verdict ${r.rollout.verdict ?? 'running'}${r.rollout.reason ? `: ${r.rollout.reason}` : ''}`);
    for (const s of r.rollout.steps) out.push(`- ${s.mode} ${s.percent}% from ${s.startedAt}: ${s.verdict ?? 'running'}${s.reason ? ` (${s.reason})` : ''}`);
    out.push('');
  }
  return out;
}

export function renderAuditMarkdown(r: AuditRecord): string {
  const out = [`# Audit record: ${r.releaseId}`, '', `- ${r.kind} of model **${r.model}**`, `- triggered ${r.trigger.at} by ${r.trigger.requester} (${r.trigger.reason}${r.trigger.reasonDetail ? `: ${r.trigger.reasonDetail}` : ''})`, ''];
  out.push(...releaseSections(r));
  const p = r.promotion;
  if (p) out.push('## Promotion', '', `- ${p.at}: ${p.artifactId} replaced ${p.previousChampion ?? '(none)'}`, ...(p.watch ? [`- post-promotion watch: ${p.watch.verdict} (${p.watch.reason})`] : []), '');
  const b = r.rollback;
  if (b) out.push('## Rollback', '', `- ${b.at} by ${b.by}, cause ${b.cause}: ${b.reason}`, `- from ${b.from ?? '-'} to ${b.to ?? '-'}`, `- evidence: \`${JSON.stringify(b.evidence).slice(0, 400)}\``, '');
  out.push('## Final state', '', `- ${r.final.status}${r.final.outcome ? `, outcome **${r.final.outcome}**` : ''}${r.final.closedAt ? ` at ${r.final.closedAt}` : ''}`);
  out.push(...r.final.reasons.map((x) => `- ${x}`), `- stages: ${r.final.stages.map((s) => s.stage).join(' → ') || '-'}`, '');
  out.push('## Integrity', '', ...r.histories.map((h) => `- ${h.workflowType} ${h.workflowId}/${h.runId}: ${h.eventCount} events, sha256 \`${h.digest}\``), `- history digest \`${r.integrity.historyDigest}\``, `- record digest \`${r.integrity.recordDigest}\``, '');
  return out.join('\n');
}
