import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describeFailure } from '../src/jobs/failure-info.js';

export type { FailureDetails } from '../src/jobs/failure-info.js';

/**
 * Maps anything a handler run threw to a Temporal failure: validation errors and
 * `NonRetryableError` become non-retryable; the original message and type are preserved
 * (see `describeFailure`, shared with the in-memory backend).
 */
export function toTemporalFailure(err: unknown, attempt: number): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  const info = describeFailure(err, attempt);
  const failure = ApplicationFailure.create({
    type: info.type,
    message: info.message,
    nonRetryable: info.nonRetryable,
    details: [info.details],
    // The upcaster's own error travels as the failure's cause.
    cause: info.cause,
  });
  failure.stack = info.stack;
  return failure;
}
