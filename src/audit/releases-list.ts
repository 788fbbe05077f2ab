/**
 * Lists releases through Temporal visibility (search attributes), newest first. Filters are
 * validated here, at the edge: a bad flag names the field and the accepted values. `--model`
 * relies on `mlgateModel`, which src/client/start-release.ts sets when a release starts.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { formatIssues } from '../domain/errors';
import { releasesQuery, ReleaseFiltersSchema, type ReleaseFiltersInput } from '../domain/audit/releases-query';
import { ModelKey, OutcomeKey, RiskClassKey, StageKey } from '../workflows/search-attributes';

export interface ReleaseSummary {
  releaseId: string;
  runId: string;
  model: string | null;
  stage: string | null;
  outcome: string | null;
  riskClass: string | null;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, ... */
  status: string;
  startTime: string;
  closeTime: string | null;
}

export interface ListReleasesOptions {
  client: Client;
  /** Raw CLI flags; validated with ReleaseFiltersSchema. */
  filters?: ReleaseFiltersInput;
  /** @default new Date() (the CLI's clock; `--since 7d` counts back from it) */
  now?: Date;
}

export class InvalidFiltersError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid release filters: ${problems.join('; ')}`);
    this.name = 'InvalidFiltersError';
  }
}

function summary(wf: WorkflowExecutionInfo): ReleaseSummary {
  const sa = wf.typedSearchAttributes;
  return {
    releaseId: wf.workflowId, runId: wf.runId,
    model: sa.get(ModelKey) ?? null, stage: sa.get(StageKey) ?? null, outcome: sa.get(OutcomeKey) ?? null, riskClass: sa.get(RiskClassKey) ?? null,
    status: wf.status.name, startTime: wf.startTime.toISOString(), closeTime: wf.closeTime?.toISOString() ?? null,
  };
}

export async function listReleases({ client, filters = {}, now = new Date() }: ListReleasesOptions): Promise<ReleaseSummary[]> {
  const parsed = ReleaseFiltersSchema.safeParse(filters);
  if (!parsed.success) throw new InvalidFiltersError(formatIssues(parsed.error.issues));
  const out: ReleaseSummary[] = [];
  for await (const wf of client.workflow.list({ query: releasesQuery(parsed.data, now) })) {
    out.push(summary(wf));
    if (out.length >= parsed.data.limit) break;
  }
  return out.sort((a, b) => b.startTime.localeCompare(a.startTime));
}

/** Plain text for the CLI: one release per line, aligned columns. */
export function renderReleases(rows: readonly ReleaseSummary[]): string {
  if (rows.length === 0) return 'no releases match\n';
  const table = [['RELEASE', 'MODEL', 'STAGE', 'OUTCOME', 'STARTED'], ...rows.map((r) => [r.releaseId, r.model ?? '-', r.stage ?? '-', r.outcome ?? '-', r.startTime])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return `${table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n')}\n`;
}
