/**
 * `mlgate history <model>`: the production timeline from the registry's alias history, with
 * each change's release (or manual rollback) outcome looked up in Temporal visibility.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { productionTimeline, type ChangeSource, type ProductionTimeline } from '../domain/audit/production-timeline';
import type { Registry } from '../ports/registry';
import { OutcomeKey } from '../workflows/search-attributes';

export interface ModelHistoryOptions {
  client: Client;
  registry: Pick<Registry, 'aliasHistory'>;
  model: string;
}

async function source(client: Client, workflowId: string): Promise<ChangeSource | undefined> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return { workflowType: d.type, outcome: d.typedSearchAttributes.get(OutcomeKey) ?? null };
  } catch (err) {
    // Retention may have removed an old workflow: the registry still says what changed and why.
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export async function modelHistory({ client, registry, model }: ModelHistoryOptions): Promise<ProductionTimeline> {
  const changes = await registry.aliasHistory(model);
  const sources = new Map<string, ChangeSource>();
  for (const id of new Set(changes.map((c) => c.releaseId).filter((x): x is string => !!x))) {
    const s = await source(client, id);
    if (s) sources.set(id, s);
  }
  return productionTimeline(model, changes, sources);
}

/** Plain text for the CLI: one line per serving period, newest last. */
export function renderModelHistory(t: ProductionTimeline): string {
  if (t.periods.length === 0) return `${t.model}: nothing has served yet\n`;
  const lines = t.periods.map((p) => {
    const c = p.cause;
    const via = c.releaseId ? ` via ${c.releaseId}${c.outcome ? ` (${c.outcome})` : ''}` : '';
    return `${p.from}  ${p.artifactId ?? '(none)'}  ${c.kind}${via} by ${c.actor}: ${c.reason}${p.until ? `  [until ${p.until}]` : '  [serving]'}`;
  });
  return `${t.model}: serving ${t.current ?? '(none)'}\n${lines.join('\n')}\n`;
}
