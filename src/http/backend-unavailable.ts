/**
 * Whether an error means a backing store (PostgreSQL, through `pg`) is down or unreachable for now,
 * rather than a bug or bad input: the servers answer it with a retryable 503, not a 500. Matched on
 * codes and the driver's own messages, so this file needs no database library.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57014 (statement
 * cancelled: statement_timeout, src/adapters/postgres/pool-options.ts), 57P01–57P03 (shutdown,
 * cannot connect now).
 */
const SQLSTATE = /^(08|53|57014|57P0[1-3])/;
/** pg's errors for a connection lost mid-query, a query never answered (query_timeout) or a pool that could not connect in time carry no code. */
const DRIVER_MESSAGES = /^(Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Duck-typed, not `instanceof Error`: errors made by Node's own modules come from another realm under test runners' VMs. */
export function isBackendUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (Array.isArray(errors)) return errors.some(isBackendUnavailable);
  return typeof message === 'string' && DRIVER_MESSAGES.test(message);
}
