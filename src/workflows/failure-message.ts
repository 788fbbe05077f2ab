/**
 * The message a person should read for a failed activity or child: its cause (what the activity
 * threw), not the wrapper's "Activity task failed". Sandbox-safe; shared by every workflow.
 */
export function failureMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return e.cause?.message ?? e.message ?? String(err);
}
