/**
 * The one HTTP error shape of every mlgate server (approvals server, gateway public and admin
 * listeners, the mail catcher's web mailbox). Every error answers
 * `{ "error": "UPPER_SNAKE_CODE", "message": "one line", "problems"?: ["field.path: fix"], "details"?: {...} }`
 * with the matching status; HTML pages render the same error as a page. See docs/http.md.
 */
import { z } from 'zod';

/** Codes the servers themselves use; decision refusals add the domain's own (e.g. SELF_APPROVAL). */
export const ErrorCode = {
  INVALID_INPUT: 'INVALID_INPUT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  GONE: 'GONE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PREDICT_FAILED: 'PREDICT_FAILED',
  INTERNAL: 'INTERNAL',
  /** A database mlgate needs is down for now; retry later. */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

export const ErrorBodySchema = z
  .object({
    error: z.string().regex(ERROR_CODE_PATTERN).describe('Machine-readable code in UPPER_SNAKE_CASE, e.g. INVALID_INPUT, NOT_FOUND, SELF_APPROVAL.'),
    message: z.string().describe('One line for people: what is wrong and how to fix it.'),
    problems: z.array(z.string()).optional().describe('For INVALID_INPUT and batch refusals: one entry per bad field, as "path.to.field: what to send".'),
    details: z.record(z.string(), z.unknown()).optional().describe('Extra facts for clients, e.g. the current routing on a CONFLICT.'),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export class HttpError extends Error {
  readonly problems?: string[];
  readonly details?: Record<string, unknown>;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    extra: { problems?: string[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    if (!ERROR_CODE_PATTERN.test(code)) throw new Error(`HttpError code "${code}" is not UPPER_SNAKE_CASE`);
    if (extra.problems) this.problems = extra.problems;
    if (extra.details) this.details = extra.details;
  }

  /** 400 INVALID_INPUT listing each bad field; the message repeats them on one line. */
  static invalid(problems: string[], details?: Record<string, unknown>): HttpError {
    return new HttpError(400, ErrorCode.INVALID_INPUT, problems.join('; '), { problems, ...(details ? { details } : {}) });
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, ...(this.problems ? { problems: this.problems } : {}), ...(this.details ? { details: this.details } : {}) };
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.INVALID_INPUT,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  410: ErrorCode.GONE,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.TOO_MANY_REQUESTS,
};

/** The code for an error that only has a status (fastify's own: bad JSON, body too large, ...). */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_INPUT);
}
