/**
 * A handler attempt's failure as plain data, and the one mapping from that data to the mediator's
 * error classes. Both backends use it: the worker puts this data in an `ApplicationFailure` and the
 * client reads it back (`from-failure.ts`); the in-memory backend maps it directly, without Temporal
 * failures.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { HandlerOutcome, MediatorErrorContext, ValidationIssue } from '../core/errors.js';
import {
  AggregateHandlerError,
  HandlerFailedError,
  HandlerNotFoundError,
  HandlerOutputError,
  JobFailedError,
  JobTimeoutError,
  MediatorError,
  NonRetryableError,
  RequestValidationError,
  toError,
} from '../core/errors.js';
import { ContractVersionError } from '../contracts/versions.js';

/** What an attempt's failure carries for the caller to rebuild the error (an `ApplicationFailure`'s details). */
export interface FailureDetails {
  code?: string;
  attempt?: number;
  issues?: ValidationIssue[];
  queue?: string;
  available?: string[];
  outcomes?: HandlerOutcome[];
  /** A `ContractVersionError`'s payload and worker contract versions. */
  fromVersion?: number;
  toVersion?: number;
}

/** A handler attempt's failure: what the worker reports, whichever backend runs it. */
export interface FailureInfo {
  /** The error type: the class name, or a {@link NonRetryableError}'s `type`. */
  type: string;
  message: string;
  /** Never retried, whatever the retry policy says. */
  nonRetryable: boolean;
  details: FailureDetails;
  /** The error's own cause that travels with it (a `ContractVersionError`'s upcaster error). */
  cause?: Error | undefined;
  stack?: string | undefined;
}

/** Mediator error codes a worker reports as non-retryable. */
const NON_RETRYABLE_CODES = new Set([
  'REQUEST_VALIDATION',
  'HANDLER_OUTPUT',
  'HANDLER_NOT_FOUND',
  'NON_RETRYABLE',
  'INVALID_OPTION',
  'CONTRACT_VERSION',
]);

/**
 * Describes whatever a handler attempt threw: validation errors and {@link NonRetryableError} are
 * non-retryable; the original message and type are preserved.
 */
export function describeFailure(err: unknown, attempt: number): FailureInfo {
  // Thrown as is by a handler (or by `workerInput`, for a payload ahead of the contract).
  if (err instanceof ApplicationFailure) return describeApplicationFailure(err);
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
    return {
      type: err instanceof NonRetryableError ? err.type : err.name,
      message: err.message,
      nonRetryable: NON_RETRYABLE_CODES.has(err.code),
      details,
      cause: err instanceof ContractVersionError && err.cause !== undefined ? toError(err.cause) : undefined,
      stack: err.stack,
    };
  }
  const error = toError(err);
  return {
    type: error.name === 'Error' ? (error.constructor?.name ?? 'Error') : error.name,
    message: error.message,
    nonRetryable: false,
    details: { attempt },
    stack: error.stack,
  };
}

/** An `ApplicationFailure` (the worker's report, or thrown by a handler) as failure data. */
export function describeApplicationFailure(failure: ApplicationFailure): FailureInfo {
  const first: unknown = failure.details?.[0];
  return {
    type: failure.type ?? 'Error',
    message: failure.message,
    nonRetryable: failure.nonRetryable ?? false,
    details: typeof first === 'object' && first !== null ? first : {},
    cause: failure.cause,
    stack: failure.stack,
  };
}

/**
 * The mediator error a failed attempt stands for, as the caller sees it. `context.cause` is what
 * the error's `cause` becomes (the `ApplicationFailure` on Temporal, the thrown error in memory).
 */
export function errorFromFailure(
  failure: Pick<FailureInfo, 'type' | 'message' | 'nonRetryable' | 'details' | 'cause'>,
  request: string,
  context: MediatorErrorContext,
): MediatorError {
  const { details } = failure;
  const ctx = { ...context, attempt: details.attempt ?? context.attempt };
  switch (failure.type) {
    case 'RequestValidationError':
      return new RequestValidationError(request, details.issues ?? [], { ...ctx, side: 'worker' });
    case 'HandlerOutputError':
      return new HandlerOutputError(request, details.issues ?? [], ctx);
    case 'HandlerNotFoundError':
      return new HandlerNotFoundError(request, details.available ?? [], { ...ctx, queue: details.queue });
    case 'AggregateHandlerError':
      return new AggregateHandlerError(request, details.outcomes ?? [], ctx);
    case 'JobTimeoutError':
      return new JobTimeoutError(request, 'attempt', ctx);
    case 'ContractVersionError':
      // The message already names the request and the versions; the upcaster's error is the cause.
      return new ContractVersionError(
        request,
        { from: details.fromVersion ?? 0, to: details.toVersion ?? 0 },
        { ...ctx, cause: failure.cause ?? ctx.cause, message: failure.message },
      );
    case 'EnvelopeError':
      // The workflow refused its argument (e.g. a hand-made schedule with a malformed envelope).
      return new JobFailedError(request, failure.message, ctx);
    default:
      return new HandlerFailedError(request, failure.message, {
        ...ctx,
        type: failure.type,
        nonRetryable: failure.nonRetryable,
      });
  }
}
