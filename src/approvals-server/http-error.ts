/** The one HTTP error type; the server turns it into JSON (API) or an HTML page (links) in one place. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** HTTP status for a refused decision: permission problems are 403, state conflicts 409. */
export function statusForRefusal(code: string): number {
  if (code === 'INVALID') return 400;
  if (code === 'NOT_ALLOWED' || code === 'SELF_APPROVAL' || code === 'SIGNALS_DISABLED') return 403;
  return 409;
}
