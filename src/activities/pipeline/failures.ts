/** Failure helpers for pipeline activities: permanent faults are non-retryable, typed failures. */
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../domain/errors';
import { parseModelSpec, type ModelSpec } from '../../domain/spec';

/** A failure is written to history; one huge bad value must not push it past Temporal's size limits. */
const MAX_MESSAGE = 4000;

export function dataError(message: string, details?: unknown): ApplicationFailure {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}… (message cut at ${MAX_MESSAGE} characters)` : message;
  return ApplicationFailure.create({ type: ErrorType.DataError, nonRetryable: true, message: text, details: details === undefined ? undefined : [details] });
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


export function trainerFailed(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.TrainerFailed, nonRetryable: true, message });
}
