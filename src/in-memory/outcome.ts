/**
 * The in-memory backend's own typed outcomes — of one attempt, of one activity (a handler with its
 * retries) and of a job — and their mapping to the mediator's errors: the same classes, codes,
 * messages, request, job id and attempt the Temporal backend's translation gives, without building
 * any Temporal failure on the way.
 */
import type { HandlerOutcome, MediatorError } from '../core/errors.js';
import { JobCancelledError, JobFailedError, JobTimeoutError } from '../core/errors.js';
import type { FailureInfo } from '../jobs/failure-info.js';
import { errorFromFailure } from '../jobs/failure-info.js';

/** Why an activity failed: its handler's failure (after the retries), or the attempt timeout. */
export type HandlerFailure =
  /** The handler failed: `info` as the worker reports it, `thrown` what it threw (the error's cause). */
  | { kind: 'error'; info: FailureInfo; thrown?: unknown }
  /** The last attempt ran past its start-to-close timeout. */
  | { kind: 'timeout' };

/** How one attempt ended. */
export type AttemptOutcome =
  | { status: 'completed'; value: unknown }
  | { status: 'failed'; failure: HandlerFailure }
  /** The attempt was aborted because the job was cancelled. */
  | { status: 'cancelled' };

/** How one activity ended; `closed`: the job was closed from outside (timed out, terminated) meanwhile. */
export type ActivityOutcome = AttemptOutcome | { status: 'closed' };

/** How an in-memory job ended (its status is the discriminant). */
export type JobOutcome =
  | { status: 'completed'; value: unknown }
  | { status: 'failed'; failure: HandlerFailure }
  | { status: 'cancelled' }
  /** The job timeout elapsed. */
  | { status: 'timed_out' }
  | { status: 'terminated'; reason: string };

/** A job outcome that is not a result. */
export type JobFailureOutcome = Exclude<JobOutcome, { status: 'completed' }>;

/** The error `job.result()` rejects with for an outcome, as the Temporal backend reports it. */
export function outcomeError(
  outcome: JobFailureOutcome,
  context: { request: string | undefined; jobId: string },
): MediatorError {
  const request = context.request ?? 'job';
  const ctx = { jobId: context.jobId, request: context.request };
  switch (outcome.status) {
    case 'failed': {
      const { failure } = outcome;
      if (failure.kind === 'timeout') return new JobTimeoutError(request, 'attempt', ctx);
      return errorFromFailure(failure.info, request, { ...ctx, cause: failure.thrown });
    }
    case 'cancelled':
      return new JobCancelledError(context.request, ctx);
    case 'timed_out':
      return new JobTimeoutError(request, 'job', ctx);
    case 'terminated':
      return new JobFailedError(context.request, `terminated: ${outcome.reason}`, ctx);
  }
}

/** What a notification handler's failed activity shows in its job's outcomes. */
export function rejectedOutcome(handler: string, failure: HandlerFailure): HandlerOutcome {
  // An attempt timeout reads as Temporal reports it: a `TimeoutFailure` of the activity.
  const error =
    failure.kind === 'timeout'
      ? { message: 'activity StartToClose timeout', type: 'TimeoutFailure' }
      : { message: failure.info.message, type: failure.info.type };
  return { handler, status: 'rejected', error };
}

/** The failure of a notification job some of whose handlers failed: `AggregateHandlerError`. */
export function aggregateFailure(outcomes: HandlerOutcome[]): HandlerFailure {
  const failed = outcomes.filter((o) => o.status === 'rejected');
  return {
    kind: 'error',
    info: {
      type: 'AggregateHandlerError',
      message: `${failed.length} of ${outcomes.length} handler(s) failed: ${failed.map((f) => f.handler).join(', ')}`,
      nonRetryable: true,
      details: { outcomes },
    },
  };
}
