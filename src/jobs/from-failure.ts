import { ServiceError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import type { HandlerOutcome, MediatorErrorContext, ValidationIssue } from '../core/errors.js';
import {
  AggregateHandlerError,
  ConnectionError,
  HandlerFailedError,
  HandlerNotFoundError,
  HandlerOutputError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  MediatorError,
  RequestValidationError,
  errorMessage,
} from '../core/errors.js';
import { ContractVersionError } from '../contracts/versions.js';

interface Details {
  code?: string;
  attempt?: number;
  issues?: ValidationIssue[];
  queue?: string;
  available?: string[];
  outcomes?: HandlerOutcome[];
  fromVersion?: number;
  toVersion?: number;
}

function detailsOf(failure: ApplicationFailure): Details {
  const first: unknown = failure.details?.[0];
  return typeof first === 'object' && first !== null ? first : {};
}

/** A handler failure (an `ApplicationFailure` from the worker) as the mediator error it stands for. */
export function fromApplicationFailure(
  failure: ApplicationFailure,
  request: string,
  context: MediatorErrorContext,
): MediatorError {
  const details = detailsOf(failure);
  const ctx = { ...context, attempt: details.attempt ?? context.attempt, cause: failure };
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
        { ...ctx, cause: failure.cause ?? failure, message: failure.message },
      );
    case 'EnvelopeError':
      // The workflow refused its argument (e.g. a hand-made schedule with a malformed envelope).
      return new JobFailedError(request, failure.message, ctx);
    default:
      return new HandlerFailedError(request, failure.message, {
        ...ctx,
        type: failure.type ?? 'Error',
        nonRetryable: failure.nonRetryable ?? false,
      });
  }
}

/**
 * Translates anything Temporal throws for a job (`WorkflowFailedError` → `ActivityFailure` →
 * `ApplicationFailure`, timeouts, cancellation, not found) into the mediator's error classes. The
 * one place where Temporal failures are interpreted.
 */
export function translateJobError(
  err: unknown,
  context: { request?: string | undefined; jobId: string; address?: string | undefined },
): MediatorError {
  if (err instanceof MediatorError) return err;
  const request = context.request ?? 'job';
  const ctx: MediatorErrorContext = { jobId: context.jobId, request: context.request };
  if (err instanceof WorkflowNotFoundError)
    return new JobNotFoundError(context.jobId, { ...ctx, cause: err });
  if (err instanceof ServiceError) {
    // The job is safe on the server; only this wait was cut off.
    return new ConnectionError(
      context.address ?? 'the Temporal server',
      err,
      `while waiting for job ${context.jobId}; call job(id).result() again`,
    );
  }
  if (!(err instanceof WorkflowFailedError)) {
    return new JobFailedError(context.request, errorMessage(err), { ...ctx, cause: err });
  }
  let cause: unknown = err.cause;
  if (cause instanceof ActivityFailure) {
    const inner = cause.cause;
    if (inner instanceof TimeoutFailure) {
      return new JobTimeoutError(request, inner.timeoutType === 'HEARTBEAT' ? 'heartbeat' : 'attempt', {
        ...ctx,
        cause: err,
      });
    }
    if (inner instanceof CancelledFailure)
      return new JobCancelledError(context.request, { ...ctx, cause: err });
    cause = inner;
  }
  if (cause instanceof ApplicationFailure) return fromApplicationFailure(cause, request, ctx);
  if (cause instanceof CancelledFailure)
    return new JobCancelledError(context.request, { ...ctx, cause: err });
  if (cause instanceof TimeoutFailure) return new JobTimeoutError(request, 'job', { ...ctx, cause: err });
  if (cause instanceof TerminatedFailure)
    return new JobFailedError(context.request, `terminated: ${cause.message}`, { ...ctx, cause: err });
  return new JobFailedError(context.request, errorMessage(cause ?? err), { ...ctx, cause: err });
}
