/**
 * `mlgate audit export <release>`: the release's raw histories in the SDK's history JSON format
 * (one entry per run, the rollout child included), for archiving. Each `history` can be replayed
 * with `Worker.runReplayHistory({ workflowsPath }, history)`, which fails if today's workflow code
 * would not reproduce it.
 */
import type { Client } from '@temporalio/client';
import { loadHistories } from './load-histories';

export const HISTORY_EXPORT_FORMAT = 'mlgate-history-export/v1';

export interface HistoryExport {
  format: typeof HISTORY_EXPORT_FORMAT;
  releaseId: string;
  exportedAt: string;
  histories: Array<{ workflowId: string; runId: string; workflowType: string; history: { events: unknown[] } }>;
}

export interface ExportHistoryOptions {
  client: Client;
  releaseId: string;
  /** @default new Date() */
  now?: Date;
}

export async function exportHistory({ client, releaseId, now = new Date() }: ExportHistoryOptions): Promise<HistoryExport> {
  const { runs, children } = await loadHistories({ client, workflowId: releaseId });
  return { format: HISTORY_EXPORT_FORMAT, releaseId, exportedAt: now.toISOString(), histories: [...runs, ...children] };
}
