/**
 * The in-memory backend's typed outcomes map to the same errors the Temporal backend's translation
 * gives for the same handler failure (class, code, message, request, job id, attempt, details).
 */
import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  RetryState,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toTemporalFailure } from '../../activities/failures.js';
import { translateJobError } from '../../src/jobs/from-failure.js';
import { describeFailure } from '../../src/jobs/failure-info.js';
import type { JobFailureOutcome } from '../../src/in-memory/outcome.js';
import { aggregateFailure, outcomeError, rejectedOutcome } from '../../src/in-memory/outcome.js';
import {
  HandlerNotFoundError,
  HandlerOutputError,
  JobTimeoutError,
  NonRetryableError,
  RequestValidationError,
} from '../../src/index.js';
import type { MediatorError } from '../../src/index.js';

const job = { request: 'CreateUser', jobId: 'CreateUser-42' };
const issues = [{ path: ['email'], message: 'Invalid email', code: 'invalid_format' }];

const wf = (cause: Error, state: RetryState = RetryState.NON_RETRYABLE_FAILURE) =>
  new WorkflowFailedError('Workflow execution failed', cause, state);
const activity = (cause: Error) =>
  wf(
    new ActivityFailure(
      'Activity task failed',
      'CreateUser',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'w',
      cause,
    ),
  );

/** Everything public about an error but its cause and stack. */
function shape(err: MediatorError): Record<string, unknown> {
  const { cause: _cause, stack: _stack, ...fields } = { ...err, message: err.message, name: err.name };
  return { class: err.constructor.name, ...fields };
}

function handlerCase(thrown: unknown, attempt: number) {
  const temporal = translateJobError(activity(toTemporalFailure(thrown, attempt)), job);
  const outcome: JobFailureOutcome = {
    status: 'failed',
    failure: { kind: 'error', info: describeFailure(thrown, attempt), thrown },
  };
  return { temporal, inMemory: outcomeError(outcome, job) };
}

describe('in-memory outcomes give the Temporal backend errors', () => {
  const thrown: [string, unknown][] = [
    ['a plain Error', new Error('boom')],
    ['a custom error class', new (class PaymentDeclined extends Error {})('declined')],
    ['a NonRetryableError with a type', new NonRetryableError('account closed', { type: 'AccountClosed' })],
    [
      'a worker-side RequestValidationError',
      new RequestValidationError('CreateUser', issues, { side: 'worker' }),
    ],
    ['a HandlerOutputError', new HandlerOutputError('CreateUser', issues)],
    ['a HandlerNotFoundError', new HandlerNotFoundError('CreateUser', ['GetUser'], { queue: 'critical' })],
    ['a timeoutBehavior JobTimeoutError', new JobTimeoutError('CreateUser', 'attempt')],
    ['a non-Error throw', 'just a string'],
  ];
  it.each(thrown)('%s', (_name, err) => {
    const { temporal, inMemory } = handlerCase(err, 2);
    expect(shape(inMemory)).toEqual(shape(temporal));
  });

  it('the handler error is the cause', () => {
    const err = new Error('boom');
    expect(handlerCase(err, 1).inMemory.cause).toBe(err);
  });

  it('AggregateHandlerError with the outcomes', () => {
    const outcomes = [
      rejectedOutcome('email', { kind: 'error', info: describeFailure(new Error('mailbox full'), 3) }),
      rejectedOutcome('sms', { kind: 'timeout' }),
      { handler: 'audit', status: 'fulfilled' as const },
    ];
    expect(outcomes.slice(0, 2)).toEqual([
      { handler: 'email', status: 'rejected', error: { message: 'mailbox full', type: 'Error' } },
      {
        handler: 'sms',
        status: 'rejected',
        error: { message: 'activity StartToClose timeout', type: 'TimeoutFailure' },
      },
    ]);
    const failure = aggregateFailure(outcomes);
    if (failure.kind !== 'error') throw new Error('expected an error failure');
    // What the workflow's publish() throws for the same outcomes.
    const { type, message, nonRetryable, details } = failure.info;
    const temporal = translateJobError(
      wf(ApplicationFailure.create({ type, message, nonRetryable, details: [details] })),
      job,
    );
    expect(shape(outcomeError({ status: 'failed', failure }, job))).toEqual(shape(temporal));
  });

  const jobLevel: [string, JobFailureOutcome, Error][] = [
    [
      'attempt timeout',
      { status: 'failed', failure: { kind: 'timeout' } },
      wf(
        new ActivityFailure(
          'Activity task failed',
          'CreateUser',
          '1',
          RetryState.TIMEOUT,
          'w',
          new TimeoutFailure('activity StartToClose timeout', undefined, 'START_TO_CLOSE'),
        ),
        RetryState.TIMEOUT,
      ),
    ],
    ['cancellation', { status: 'cancelled' }, wf(new CancelledFailure('Workflow canceled'))],
    [
      'job timeout',
      { status: 'timed_out' },
      wf(new TimeoutFailure('Workflow execution timed out', undefined, 'START_TO_CLOSE'), RetryState.TIMEOUT),
    ],
    [
      'termination',
      { status: 'terminated', reason: 'Workflow execution deleted' },
      wf(new TerminatedFailure('Workflow execution deleted')),
    ],
  ];
  it.each(jobLevel)('%s', (_name, outcome, temporalError) => {
    expect(shape(outcomeError(outcome, job))).toEqual(shape(translateJobError(temporalError, job)));
  });
});
