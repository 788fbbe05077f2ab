/** HTTP status for a refused decision: permission problems are 403, state conflicts 409. */
export function statusForRefusal(code: string): number {
  if (code === 'INVALID') return 400;
  if (code === 'NOT_ALLOWED' || code === 'SELF_APPROVAL' || code === 'SIGNALS_DISABLED') return 403;
  return 409;
}
