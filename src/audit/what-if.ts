/**
 * `mlgate whatif`: a past release judged again under another policy, from its histories alone
 * (the watches' recorded per-poll evidence, see src/domain/analysis/what-if.ts).
 */
import type { Client } from '@temporalio/client';
import { whatIf, type WhatIfPolicy, type WhatIfResult } from '../domain/analysis/what-if';
import { recordedWatches } from '../domain/audit/recorded-watches';
import { decodeRun } from './decode-events';
import { loadHistories } from './load-histories';
import { listReleases } from './releases-list';

export interface ReleaseWhatIf extends WhatIfResult {
  releaseId: string;
}

export async function whatIfRelease({ client, releaseId, policy }: { client: Client; releaseId: string; policy: WhatIfPolicy }): Promise<ReleaseWhatIf> {
  const { runs, children } = await loadHistories({ client, workflowId: releaseId });
  const watches = recordedWatches(runs.map(decodeRun), children.map(decodeRun));
  return { releaseId, ...whatIf(watches, policy) };
}

/** Every closed release of `model` since `since`, replayed; the caller keeps the changed ones. */
export async function whatIfModel({ client, model, since, policy, now }: { client: Client; model: string; since: string; policy: WhatIfPolicy; now?: Date }): Promise<ReleaseWhatIf[]> {
  const releases = await listReleases({ client, filters: { model, since }, ...(now ? { now } : {}) });
  const out: ReleaseWhatIf[] = [];
  for (const r of releases.filter((x) => x.status !== 'RUNNING')) out.push(await whatIfRelease({ client, releaseId: r.releaseId, policy }));
  return out;
}

export function renderWhatIf(r: ReleaseWhatIf): string {
  const lines = [`${r.releaseId}: recorded ${r.recordedDecision}; under the policy: ${r.decision}${r.changed ? ' (CHANGED)' : ''}`, `  ${r.summary}`];
  for (const w of r.watches) {
    const at = w.failAtMs !== undefined ? ` at ${(w.failAtMs / 1000).toFixed(1)} s` : '';
    lines.push(`  - ${w.label}: recorded ${w.recorded}, replayed ${w.replayed}${at} over ${w.polls} recorded poll(s)${w.failingChecks.length ? ` [${w.failingChecks.join(', ')}]` : ''}`);
  }
  return lines.join('\n');
}
