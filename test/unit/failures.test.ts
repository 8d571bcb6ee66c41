import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  RetryState,
  TerminatedFailure,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toTemporalFailure } from '../../activities/failures.js';
import { translateJobError } from '../../src/jobs/from-failure.js';
import {
  AggregateHandlerError,
  HandlerFailedError,
  HandlerNotFoundError,
  HandlerOutputError,
  InvalidOptionError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  NonRetryableError,
  RequestValidationError,
} from '../../src/index.js';

const job = { request: 'CreateUser', jobId: 'CreateUser-42' };
const issues = [{ path: ['email'], message: 'Invalid email', code: 'invalid_format' }];

/** How the client sees a job whose handler activity failed: WorkflowFailedError → ActivityFailure → cause. */
function activityFailed(cause: Error): WorkflowFailedError {
  const activity = new ActivityFailure(
    'Activity task failed',
    'CreateUser',
    '1',
    RetryState.MAXIMUM_ATTEMPTS_REACHED,
    'worker@host',
    cause,
  );
  return new WorkflowFailedError('Workflow execution failed', activity, RetryState.NON_RETRYABLE_FAILURE);
}

const appFailure = (type: string, details: unknown[], nonRetryable = true) =>
  ApplicationFailure.create({ type, message: `${type} happened`, nonRetryable, details });

describe('translateJobError', () => {
  it("maps a worker-side RequestValidationError with its issues and attempt, side 'worker'", () => {
    const failure = appFailure('RequestValidationError', [
      { code: 'REQUEST_VALIDATION', issues, attempt: 1 },
    ]);
    const err = translateJobError(activityFailed(failure), job);
    expect(err).toBeInstanceOf(RequestValidationError);
    const invalid = err as RequestValidationError;
    expect(invalid.side).toBe('worker');
    expect(invalid.issues).toEqual(issues);
    expect(invalid.attempt).toBe(1);
    expect(invalid.jobId).toBe('CreateUser-42');
    expect(invalid.request).toBe('CreateUser');
    expect(invalid.cause).toBe(failure);
    expect(invalid.message).toBe('CreateUser: invalid input (worker): email: Invalid email');
  });

  it('maps HandlerOutputError with its issues', () => {
    const err = translateJobError(
      activityFailed(appFailure('HandlerOutputError', [{ issues, attempt: 1 }])),
      job,
    );
    expect(err).toBeInstanceOf(HandlerOutputError);
    expect((err as HandlerOutputError).issues).toEqual(issues);
    expect(err.jobId).toBe('CreateUser-42');
  });

  it('maps HandlerNotFoundError with the queue and the available handlers', () => {
    const failure = appFailure('HandlerNotFoundError', [
      { attempt: 1, queue: 'critical', available: ['GetUser'] },
    ]);
    const err = translateJobError(activityFailed(failure), job);
    expect(err).toBeInstanceOf(HandlerNotFoundError);
    const notFound = err as HandlerNotFoundError;
    expect(notFound.queue).toBe('critical');
    expect(notFound.available).toEqual(['GetUser']);
    expect(notFound.message).toBe(
      "No handler for request 'CreateUser' on task queue 'critical'. Registered handlers: GetUser",
    );
  });

  it('maps AggregateHandlerError (thrown by the workflow itself) with the outcomes', () => {
    const outcomes = [
      { handler: 'audit', status: 'fulfilled' },
      { handler: 'email', status: 'rejected', error: { message: 'smtp down', type: 'Error' } },
    ];
    const failure = appFailure('AggregateHandlerError', [{ outcomes }]);
    const err = translateJobError(
      new WorkflowFailedError('failed', failure, RetryState.NON_RETRYABLE_FAILURE),
      { request: 'UserCreated', jobId: 'UserCreated-1' },
    );
    expect(err).toBeInstanceOf(AggregateHandlerError);
    expect((err as AggregateHandlerError).outcomes).toEqual(outcomes);
    expect(err.message).toBe('UserCreated: 1 of 2 handler(s) failed: email: smtp down');
  });

  it('maps any other ApplicationFailure to HandlerFailedError with type, attempt, nonRetryable and job id', () => {
    const failure = appFailure('DbError', [{ attempt: 3 }], false);
    const err = translateJobError(activityFailed(failure), job);
    expect(err).toBeInstanceOf(HandlerFailedError);
    const failed = err as HandlerFailedError;
    expect(failed.code).toBe('HANDLER_FAILED');
    expect(failed.type).toBe('DbError');
    expect(failed.attempt).toBe(3);
    expect(failed.nonRetryable).toBe(false);
    expect(failed.jobId).toBe('CreateUser-42');
    expect(failed.message).toBe(
      'CreateUser: handler failed after 3 attempt(s) (job CreateUser-42): DbError happened',
    );
    expect(failed.cause).toBe(failure);
  });

  it('keeps a NonRetryableError custom type and the nonRetryable flag', () => {
    const err = translateJobError(activityFailed(appFailure('UserGone', [{ attempt: 1 }], true)), job);
    expect(err).toBeInstanceOf(HandlerFailedError);
    expect((err as HandlerFailedError).type).toBe('UserGone');
    expect((err as HandlerFailedError).nonRetryable).toBe(true);
  });

  it('tolerates an ApplicationFailure without details', () => {
    const failure = ApplicationFailure.create({ message: 'bare' });
    const err = translateJobError(activityFailed(failure), job);
    expect(err).toBeInstanceOf(HandlerFailedError);
    expect(err.attempt).toBeUndefined();
    expect((err as HandlerFailedError).type).toBe('Error');
  });

  it.each([
    [TimeoutType.START_TO_CLOSE, 'attempt'],
    [TimeoutType.SCHEDULE_TO_CLOSE, 'attempt'],
    [TimeoutType.HEARTBEAT, 'heartbeat'],
  ] as const)('maps an activity %s timeout to JobTimeoutError %s', (type, kind) => {
    const err = translateJobError(activityFailed(new TimeoutFailure('timed out', undefined, type)), job);
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect((err as JobTimeoutError).timeout).toBe(kind);
    expect(err.code).toBe('JOB_TIMEOUT');
    expect(err.jobId).toBe('CreateUser-42');
  });

  it("maps a workflow (job) timeout to JobTimeoutError 'job'", () => {
    const timeout = new TimeoutFailure('workflow timed out', undefined, TimeoutType.START_TO_CLOSE);
    const err = translateJobError(new WorkflowFailedError('failed', timeout, RetryState.TIMEOUT), job);
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect((err as JobTimeoutError).timeout).toBe('job');
    expect(err.message).toBe('CreateUser: job execution timeout exceeded (job CreateUser-42)');
  });

  it('maps a timeoutBehavior JobTimeoutError from the worker to an attempt timeout', () => {
    const err = translateJobError(
      activityFailed(appFailure('JobTimeoutError', [{ attempt: 2 }], false)),
      job,
    );
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect((err as JobTimeoutError).timeout).toBe('attempt');
    expect(err.attempt).toBe(2);
  });

  it('maps cancellation (of the workflow or of the activity) to JobCancelledError', () => {
    const direct = translateJobError(
      new WorkflowFailedError('cancelled', new CancelledFailure('cancelled'), RetryState.CANCEL_REQUESTED),
      job,
    );
    expect(direct).toBeInstanceOf(JobCancelledError);
    expect(direct.code).toBe('JOB_CANCELLED');
    expect(direct.message).toBe('CreateUser: cancelled (job CreateUser-42)');
    expect(translateJobError(activityFailed(new CancelledFailure('cancelled')), job)).toBeInstanceOf(
      JobCancelledError,
    );
  });

  it('maps termination to JobFailedError with the reason', () => {
    const err = translateJobError(
      new WorkflowFailedError(
        'terminated',
        new TerminatedFailure('by ops'),
        RetryState.NON_RETRYABLE_FAILURE,
      ),
      job,
    );
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.message).toBe('CreateUser: terminated: by ops (job CreateUser-42)');
  });

  it('maps WorkflowNotFoundError to JobNotFoundError', () => {
    const cause = new WorkflowNotFoundError('not found', 'CreateUser-42', undefined);
    const err = translateJobError(cause, job);
    expect(err).toBeInstanceOf(JobNotFoundError);
    expect(err.code).toBe('JOB_NOT_FOUND');
    expect(err.jobId).toBe('CreateUser-42');
    expect(err.cause).toBe(cause);
  });

  it('maps anything else to JobFailedError, and passes MediatorErrors through', () => {
    const other = translateJobError(new Error('socket hang up'), job);
    expect(other).toBeInstanceOf(JobFailedError);
    expect(other.message).toBe('CreateUser: socket hang up (job CreateUser-42)');
    const own = new InvalidOptionError('x', 'y');
    expect(translateJobError(own, job)).toBe(own);
  });

  it("uses 'job' as the request name when it is unknown", () => {
    const err = translateJobError(activityFailed(appFailure('DbError', [{ attempt: 1 }])), { jobId: 'j1' });
    // Note: `err.request` is then the placeholder 'job' for handler failures but `undefined` for
    // cancellations and JobFailedError (src/jobs/from-failure.ts passes `request`, not `context.request`).
    expect(err.message).toMatch(/^job: handler failed/);
    expect(err.jobId).toBe('j1');
  });
});

describe('toTemporalFailure (activities)', () => {
  function asFailure(err: unknown, attempt = 1): ApplicationFailure {
    const failure = toTemporalFailure(err, attempt);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    return failure as ApplicationFailure;
  }

  it('makes validation errors non-retryable with their type and issues', () => {
    const failure = asFailure(new RequestValidationError('CreateUser', issues, { side: 'worker' }), 1);
    expect(failure.type).toBe('RequestValidationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('invalid input (worker)');
    expect(failure.details).toEqual([{ code: 'REQUEST_VALIDATION', attempt: 1, issues }]);
    const output = asFailure(new HandlerOutputError('CreateUser', issues), 2);
    expect(output.type).toBe('HandlerOutputError');
    expect(output.nonRetryable).toBe(true);
    expect(output.details).toEqual([{ code: 'HANDLER_OUTPUT', attempt: 2, issues }]);
  });

  it('makes HandlerNotFoundError non-retryable with the queue and the available handlers', () => {
    const failure = asFailure(new HandlerNotFoundError('CreateUser', ['GetUser'], { queue: 'critical' }));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([
      { code: 'HANDLER_NOT_FOUND', attempt: 1, queue: 'critical', available: ['GetUser'] },
    ]);
  });

  it('makes NonRetryableError non-retryable and keeps its custom type', () => {
    const failure = asFailure(new NonRetryableError('user gone', { type: 'UserGone' }), 2);
    expect(failure.type).toBe('UserGone');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('user gone');
    expect(asFailure(new NonRetryableError('x')).type).toBe('NonRetryableError');
  });

  it('keeps other MediatorErrors retryable (e.g. a timeoutBehavior timeout)', () => {
    const failure = asFailure(new JobTimeoutError('CreateUser', 'attempt'), 1);
    expect(failure.type).toBe('JobTimeoutError');
    expect(failure.nonRetryable).toBe(false);
  });

  it('makes a plain Error retryable with its message, stack and class name as type', () => {
    class DbError extends Error {}
    const source = new DbError('db down');
    const failure = asFailure(source, 3);
    expect(failure.type).toBe('DbError');
    expect(failure.message).toBe('db down');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.details).toEqual([{ attempt: 3 }]);
    expect(failure.stack).toBe(source.stack);
    expect(asFailure(new TypeError('t')).type).toBe('TypeError');
    expect(asFailure(new Error('e')).type).toBe('Error');
  });

  it('uses a custom error name as the type', () => {
    const err = new Error('quota');
    err.name = 'QuotaExceeded';
    expect(asFailure(err).type).toBe('QuotaExceeded');
  });

  it('normalises non-Error throws', () => {
    const failure = asFailure('just a string');
    expect(failure.message).toBe('just a string');
    expect(failure.nonRetryable).toBe(false);
  });

  it('passes ApplicationFailure and CancelledFailure through unchanged', () => {
    const app = ApplicationFailure.nonRetryable('custom', 'Custom');
    expect(toTemporalFailure(app, 1)).toBe(app);
    const cancelled = new CancelledFailure('cancelled');
    expect(toTemporalFailure(cancelled, 1)).toBe(cancelled);
  });

  it('round-trips through translateJobError', () => {
    const failure = asFailure(new RequestValidationError('CreateUser', issues, { side: 'worker' }), 1);
    const back = translateJobError(activityFailed(failure), job);
    expect(back).toBeInstanceOf(RequestValidationError);
    expect((back as RequestValidationError).issues).toEqual(issues);
    const plain = translateJobError(activityFailed(asFailure(new RangeError('out of range'), 3)), job);
    expect(plain).toBeInstanceOf(HandlerFailedError);
    expect((plain as HandlerFailedError).type).toBe('RangeError');
    expect(plain.attempt).toBe(3);
  });
});
