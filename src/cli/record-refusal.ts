/**
 * A decision the CLI sent straight as an Update and the release refused never reaches history; the
 * approvals server logs its refusals, so the CLI writes its own to the same refused-attempt log,
 * which `mlgate audit` reads: refused attempts are in the audit whatever the channel.
 */
import { openApprovalsStore } from '../adapters/approvals-store/sqlite/approvals-store';
import type { RefusedAttemptRecord } from '../ports/approvals-store';

export function recordCliRefusal(dataDir: string, attempt: Omit<RefusedAttemptRecord, 'at' | 'channel'>): void {
  const store = openApprovalsStore({ dataDir });
  try {
    store.refused.record({ ...attempt, at: new Date().toISOString(), channel: 'cli' });
  } finally {
    store.close();
  }
}
