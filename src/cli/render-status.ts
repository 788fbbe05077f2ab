/** Human-readable release status for the terminal. */
import type { ReleaseStatus } from '../domain/release-status';

const fmt = (n: number | undefined) => (n === undefined ? '-' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(4));

export function renderStatus(s: ReleaseStatus): string {
  const lines = [
    `${s.releaseId}  model ${s.model}  risk ${s.riskClass}  stage ${s.stage}${s.outcome ? `  outcome ${s.outcome}` : ''}`,
    `  requested by ${s.requester} (${s.reason}${s.reasonDetail ? `: ${s.reasonDetail}` : ''})`,
    `  snapshot ${s.snapshotId ?? '-'}  artifact ${s.artifactId ?? '-'}  champion at start ${s.championAtStart ?? '-'}`,
  ];
  const off = s.evidence.offline;
  const names = Object.keys(off.metrics);
  if (names.length) {
    lines.push('  offline metrics (candidate / champion / delta):');
    for (const m of names) lines.push(`    ${m.padEnd(10)} ${fmt(off.metrics[m])} / ${fmt(off.champion?.[m])} / ${fmt(off.delta[m])}`);
  }
  for (const g of s.gates) {
    lines.push(`  gate ${g.gate}: ${g.status}${g.deadline ? ` (deadline ${g.deadline})` : ''}  ${g.decisions.length}/${g.required} decisions; approvers ${g.approvers.join(', ') || '-'}`);
    for (const d of g.decisions) lines.push(`    ${d.decision} by ${d.approver} via ${d.channel} at ${d.at}${d.comment ? `: ${d.comment}` : ''}`);
    for (const r of g.refused) lines.push(`    refused ${r.channel} from ${r.approver} at ${r.at}: ${r.reason}`);
  }
  const verdictWords: Record<string, string> = { error: 'error (could not measure: metrics source unavailable)', inconclusive: 'inconclusive (too little evidence)' };
  for (const step of s.evidence.canary?.steps ?? []) lines.push(`  rollout step ${step.percent}%: ${verdictWords[step.verdict] ?? step.verdict}`);
  const e = s.evidence.experiment;
  const last = e?.points[e.points.length - 1];
  if (e) lines.push(`  A/B experiment on ${e.kpi} (${Math.round(e.candidateShare * 100)}% candidate): ${e.verdict}${last ? `, difference ${fmt(last.estimate ?? undefined)} in [${fmt(last.lower)}, ${fmt(last.upper)}] after ${last.candidateN}/${last.controlN} values` : ''}`);
  if (s.rollback) lines.push(`  rolled back at ${s.rollback.at}: ${s.rollback.reason}`);
  for (const n of s.notifications.filter((x) => x.error)) {
    const tries = n.attempts ? ` after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}` : '';
    const next = n.state === 'retrying' ? `; retrying at ${n.nextAttemptAt}` : '; not retried';
    lines.push(`  mail for ${n.gate} (${n.kind}) ${n.state === 'retrying' ? 'failing' : 'failed'}${tries}: ${n.error}${next}`);
  }
  for (const r of s.reasons) lines.push(`  - ${r}`);
  return lines.join('\n');
}
