import { ServiceError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import type { MediatorErrorContext } from '../core/errors.js';
import {
  ConnectionError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  MediatorError,
  errorMessage,
} from '../core/errors.js';
import { describeApplicationFailure, errorFromFailure } from './failure-info.js';

/** A handler failure (an `ApplicationFailure` from the worker) as the mediator error it stands for. */
export function fromApplicationFailure(
  failure: ApplicationFailure,
  request: string,
  context: MediatorErrorContext,
): MediatorError {
  return errorFromFailure(describeApplicationFailure(failure), request, { ...context, cause: failure });
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
