/** Failure helpers for pipeline activities: permanent faults are non-retryable, typed failures. */
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../domain/errors';
import { parseModelSpec, type ModelSpec } from '../../domain/spec';

export function dataError(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.DataError, nonRetryable: true, message, details: details === undefined ? undefined : [details] });
}

export function notFound(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.NotFound, nonRetryable: true, message });
}

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.InvalidInput, nonRetryable: true, message });
}

/** Re-validates the spec at the activity edge: workflow input is data from outside the worker. */
export function requireSpec(spec: unknown): ModelSpec {
  const r = parseModelSpec(spec);
  if (!r.ok) throw ApplicationFailure.create({ type: ErrorType.InvalidSpec, nonRetryable: true, message: `invalid model spec:\n${r.problems.join('\n')}` });
  return r.spec;
}

