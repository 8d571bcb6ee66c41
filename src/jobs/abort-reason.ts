/**
 * Why a running handler's `ctx.signal` aborted, as handlers see it on every backend: the reason a
 * Temporal worker gives its activities (`CancelledFailure`: `CANCELLED` when the job was cancelled,
 * `NOT_FOUND` when the attempt or the job is gone). The in-memory backend aborts its handlers with
 * the same reason, so `signal.reason` reads the same whichever backend runs them.
 */
import { CancelledFailure } from '@temporalio/common';

/** What ended the attempt from outside: the job was cancelled, or the attempt or the job is gone. */
export type HandlerAbortCause = 'CANCELLED' | 'NOT_FOUND';

/** The `ctx.signal.reason` of a handler aborted for `cause`. */
export function handlerAbortReason(cause: HandlerAbortCause): Error {
  return new CancelledFailure(cause);
}
