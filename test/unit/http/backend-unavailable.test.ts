/** Which errors the servers answer with a retryable 503 UNAVAILABLE instead of a 500 (pure classification). */
import type { FastifyError } from 'fastify';
import { isBackendUnavailable } from '../../../src/http/backend-unavailable';
import { toHttpError } from '../../../src/http/http-app';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isBackendUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a statement the server cancelled at statement_timeout (57014)', withCode('canceling statement due to statement timeout', '57014')],
    ['a query never answered within query_timeout', new Error('Query read timeout')],
    ['every address refused', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
  ])('counts %s as unavailable', (_what, err) => {
    expect(isBackendUnavailable(err)).toBe(true);
  });

  it.each([
    ['a syntax error (42601)', withCode('syntax error at or near "SELEC"', '42601')],
    ['a permission refusal (42501)', withCode('permission denied for table predictions', '42501')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a thrown string', 'boom'],
  ])('does not count %s as unavailable', (_what, err) => {
    expect(isBackendUnavailable(err)).toBe(false);
  });

  it('makes toHttpError answer 503 UNAVAILABLE with the reason, and other server faults 500 INTERNAL', () => {
    const down = toHttpError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED') as FastifyError);
    expect({ status: down.http.status, code: down.http.code, message: down.http.message }).toEqual({
      status: 503, code: 'UNAVAILABLE', message: 'a database mlgate needs is unavailable (connect ECONNREFUSED 127.0.0.1:5432); retry later',
    });
    expect(toHttpError(new TypeError('bug') as unknown as FastifyError).http.status).toBe(500);
  });
});
