/**
 * A failed workflow (or refused Update) awaited by a command reads as one line naming the cause:
 * the innermost failure's message, which is what an activity or validator threw, not the wrappers'
 * "Workflow execution failed" / "Activity task failed".
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';

export function innermostMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let message = e?.message ?? String(err);
  for (let depth = 0; e?.cause && depth < 10; depth++) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e.message) message = e.message;
  }
  return message;
}

/** The one line for a workflow failure, or null when `err` is not one. */
export function workflowFailureLine(err: unknown): string | null {
  if (err instanceof WorkflowFailedError) return `workflow failed: ${innermostMessage(err)}`;
  if (err instanceof WorkflowUpdateFailedError) return `refused: ${innermostMessage(err)}`;
  return null;
}
