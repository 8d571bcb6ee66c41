import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ValidationIssue } from '../src/core/errors.js';
import {
  HandlerNotFoundError,
  HandlerOutputError,
  MediatorError,
  NonRetryableError,
  RequestValidationError,
  toError,
} from '../src/core/errors.js';
import { ContractVersionError } from '../src/contracts/versions.js';

/** What the activity puts in an `ApplicationFailure`'s details, for the client to rebuild the error. */
export interface FailureDetails {
  code?: string;
  attempt: number;
  issues?: ValidationIssue[];
  queue?: string;
  available?: string[];
  /** A `ContractVersionError`'s payload and worker contract versions. */
  fromVersion?: number;
  toVersion?: number;
}

const NON_RETRYABLE = new Set([
  'REQUEST_VALIDATION',
  'HANDLER_OUTPUT',
  'HANDLER_NOT_FOUND',
  'NON_RETRYABLE',
  'INVALID_OPTION',
  'CONTRACT_VERSION',
]);

/**
 * Maps anything a handler run threw to a Temporal failure: validation errors and
 * {@link NonRetryableError} become non-retryable; the original message and type are preserved.
 */
export function toTemporalFailure(err: unknown, attempt: number): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof MediatorError) {
    const details: FailureDetails = { code: err.code, attempt };
    if (err instanceof RequestValidationError || err instanceof HandlerOutputError)
      details.issues = err.issues;
    if (err instanceof HandlerNotFoundError) {
      details.queue = err.queue;
      details.available = err.available;
    }
    if (err instanceof ContractVersionError) {
      details.fromVersion = err.fromVersion;
      details.toVersion = err.toVersion;
    }
    const failure = ApplicationFailure.create({
      type: err instanceof NonRetryableError ? err.type : err.name,
      message: err.message,
      nonRetryable: NON_RETRYABLE.has(err.code),
      details: [details],
      // The upcaster's own error travels as the failure's cause.
      cause: err instanceof ContractVersionError && err.cause !== undefined ? toError(err.cause) : undefined,
    });
    failure.stack = err.stack;
    return failure;
  }
  const error = toError(err);
  const failure = ApplicationFailure.create({
    type: error.name === 'Error' ? (error.constructor?.name ?? 'Error') : error.name,
    message: error.message,
    nonRetryable: false,
    details: [{ attempt } satisfies FailureDetails],
  });
  failure.stack = error.stack;
  return failure;
}
