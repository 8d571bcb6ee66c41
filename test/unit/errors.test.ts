import { describe, expect, it } from 'vitest';
import {
  AggregateHandlerError,
  ConnectionError,
  DuplicateRegistrationError,
  HandlerFailedError,
  HandlerNotFoundError,
  HandlerOutputError,
  InvalidOptionError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  MediatorError,
  NonRetryableError,
  NotConfiguredError,
  PayloadError,
  RecurringNotFoundError,
  RequestValidationError,
  SearchAttributeMissingError,
} from '../../src/index.js';
import { formatIssues } from '../../src/core/errors.js';
import { errorMessage } from '../../src/core/errors.js';
import { toError } from '../../src/core/errors.js';
import type { MediatorErrorCode } from '../../src/index.js';

const issues = [
  { path: ['email'], message: 'Invalid email', code: 'invalid_format' },
  { path: [], message: 'Too many keys', code: 'custom' },
];
const ctx = { jobId: 'CreateUser-1', attempt: 2 };

const cases: [MediatorErrorCode, string, MediatorError][] = [
  ['REQUEST_VALIDATION', 'RequestValidationError', new RequestValidationError('CreateUser', issues, ctx)],
  ['HANDLER_OUTPUT', 'HandlerOutputError', new HandlerOutputError('CreateUser', issues, ctx)],
  ['HANDLER_NOT_FOUND', 'HandlerNotFoundError', new HandlerNotFoundError('CreateUser', ['A', 'B:c'], ctx)],
  ['HANDLER_FAILED', 'HandlerFailedError', new HandlerFailedError('CreateUser', 'boom', ctx)],
  ['AGGREGATE_HANDLER', 'AggregateHandlerError', new AggregateHandlerError('CreateUser', [], ctx)],
  [
    'DUPLICATE_REGISTRATION',
    'DuplicateRegistrationError',
    new DuplicateRegistrationError('CreateUser dup', 'CreateUser'),
  ],
  [
    'INVALID_OPTION',
    'InvalidOptionError',
    new InvalidOptionError('queue', 'bad', { request: 'CreateUser', ...ctx }),
  ],
  ['JOB_TIMEOUT', 'JobTimeoutError', new JobTimeoutError('CreateUser', 'attempt', ctx)],
  ['JOB_CANCELLED', 'JobCancelledError', new JobCancelledError('CreateUser', ctx)],
  [
    'JOB_NOT_FOUND',
    'JobNotFoundError',
    new JobNotFoundError('CreateUser-1', { request: 'CreateUser', attempt: 2 }),
  ],
  ['JOB_FAILED', 'JobFailedError', new JobFailedError('CreateUser', 'terminated', ctx)],
  ['PAYLOAD', 'PayloadError', new PayloadError('CreateUser', 'too big', ctx)],
  [
    'NOT_CONFIGURED',
    'NotConfiguredError',
    new NotConfiguredError('CreateUser: no handlers', { request: 'CreateUser', ...ctx }),
  ],
];

describe('error classes', () => {
  it.each(cases)('%s: %s is a MediatorError with its code, name and context', (code, name, err) => {
    expect(err).toBeInstanceOf(MediatorError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
    expect(err.constructor.name).toBe(name);
    expect(err.request).toBe('CreateUser');
    expect(err.message).toContain('CreateUser');
    expect(err.stack).toContain(name);
    if (name !== 'DuplicateRegistrationError') {
      expect(err.jobId).toBe('CreateUser-1');
      expect(err.attempt).toBe(2);
    }
  });

  it('MediatorError keeps the cause only when given', () => {
    const cause = new Error('root');
    expect(new MediatorError('JOB_FAILED', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new MediatorError('JOB_FAILED', 'x')).toBe(false);
  });

  it('RequestValidationError carries the issues, the side and a readable message', () => {
    const err = new RequestValidationError('CreateUser', issues, { side: 'worker' });
    expect(err.issues).toBe(issues);
    expect(err.side).toBe('worker');
    expect(err.message).toBe(
      'CreateUser: invalid input (worker): email: Invalid email; (root): Too many keys',
    );
    expect(new RequestValidationError('CreateUser', issues).side).toBe('caller');
  });

  it('HandlerOutputError carries the issues', () => {
    const err = new HandlerOutputError('CreateUser', issues);
    expect(err.issues).toBe(issues);
    expect(err.message).toContain('handler returned an invalid result: email: Invalid email');
  });

  it('HandlerNotFoundError names the queue and lists the valid choices', () => {
    const err = new HandlerNotFoundError('CreateUser', ['GetUser', 'UserCreated:audit'], {
      queue: 'critical',
    });
    expect(err.message).toBe(
      "No handler for request 'CreateUser' on task queue 'critical'. Registered handlers: GetUser, UserCreated:audit",
    );
    expect(err.available).toEqual(['GetUser', 'UserCreated:audit']);
    expect(err.queue).toBe('critical');
    expect(new HandlerNotFoundError('X', []).message).toBe(
      "No handler for request 'X'. Registered handlers: (none)",
    );
  });

  it('HandlerFailedError carries type, attempts, job id and nonRetryable', () => {
    const err = new HandlerFailedError('CreateUser', 'db down', {
      ...ctx,
      attempt: 3,
      type: 'DbError',
      nonRetryable: true,
    });
    expect(err.message).toBe('CreateUser: handler failed after 3 attempt(s) (job CreateUser-1): db down');
    expect(err.type).toBe('DbError');
    expect(err.nonRetryable).toBe(true);
    const plain = new HandlerFailedError('CreateUser', 'db down');
    expect(plain.message).toBe('CreateUser: handler failed: db down');
    expect(plain.type).toBe('Error');
    expect(plain.nonRetryable).toBe(false);
  });

  it('NonRetryableError is a MediatorError with a custom type', () => {
    const cause = new Error('root');
    const err = new NonRetryableError('user gone', { type: 'UserGone', cause });
    expect(err).toBeInstanceOf(MediatorError);
    expect(err.code).toBe('NON_RETRYABLE');
    expect(err.name).toBe('NonRetryableError');
    expect(err.type).toBe('UserGone');
    expect(err.cause).toBe(cause);
    expect(new NonRetryableError('x').type).toBe('NonRetryableError');
  });

  it('AggregateHandlerError names the failed handlers and keeps the outcomes and errors', () => {
    const errors = [new Error('smtp down')];
    const outcomes = [
      { handler: 'audit', status: 'fulfilled' as const },
      { handler: 'email', status: 'rejected' as const, error: { message: 'smtp down', type: 'Error' } },
    ];
    const err = new AggregateHandlerError('UserCreated', outcomes, { errors });
    expect(err.message).toBe('UserCreated: 1 of 2 handler(s) failed: email: smtp down');
    expect(err.outcomes).toBe(outcomes);
    expect(err.errors).toBe(errors);
    expect(new AggregateHandlerError('UserCreated', outcomes).errors).toEqual([]);
  });

  it('InvalidOptionError names the option and the request', () => {
    const err = new InvalidOptionError('retry.maximumAttempts', 'must be an integer', {
      request: 'CreateUser',
    });
    expect(err.option).toBe('retry.maximumAttempts');
    expect(err.message).toBe("CreateUser: invalid option 'retry.maximumAttempts': must be an integer");
    expect(new InvalidOptionError('x', 'bad').message).toBe("invalid option 'x': bad");
  });

  it.each([
    ['attempt', 'attempt (start-to-close) timeout'],
    ['job', 'job execution timeout'],
    ['heartbeat', 'heartbeat timeout'],
  ] as const)('JobTimeoutError names the %s timeout', (kind, text) => {
    const err = new JobTimeoutError('CreateUser', kind, { jobId: 'j1', after: '30s' });
    expect(err.timeout).toBe(kind);
    expect(err.message).toBe(`CreateUser: ${text} of 30s exceeded (job j1)`);
  });

  it('JobCancelledError, JobNotFoundError and JobFailedError name the job', () => {
    expect(new JobCancelledError('CreateUser', { jobId: 'j1' }).message).toBe(
      'CreateUser: cancelled (job j1)',
    );
    expect(new JobCancelledError(undefined).message).toBe('job: cancelled');
    const notFound = new JobNotFoundError('j1');
    expect(notFound.jobId).toBe('j1');
    expect(notFound.message).toContain("Job 'j1' not found");
    expect(new JobFailedError('CreateUser', 'terminated: by ops', { jobId: 'j1' }).message).toBe(
      'CreateUser: terminated: by ops (job j1)',
    );
  });

  it('PayloadError carries the size and the limit', () => {
    const err = new PayloadError('CreateUser', 'too big', { size: 10, limit: 5 });
    expect(err.message).toBe('CreateUser: too big');
    expect(err.size).toBe(10);
    expect(err.limit).toBe(5);
  });

  it('ConnectionError names the address', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new ConnectionError('localhost:7233', cause);
    expect(err).toBeInstanceOf(MediatorError);
    expect(err.code).toBe('CONNECTION');
    expect(err.name).toBe('ConnectionError');
    expect(err.address).toBe('localhost:7233');
    expect(err.message).toBe('Cannot connect to Temporal at localhost:7233: ECONNREFUSED');
    expect(err.cause).toBe(cause);
  });

  it('SearchAttributeMissingError gives the exact command that registers the attribute', () => {
    const err = new SearchAttributeMissingError('billing', 'temporal.internal:7233');
    const command =
      'temporal operator search-attribute create --namespace billing --address temporal.internal:7233 --name MediatorRequest --type Keyword';
    expect(err).toBeInstanceOf(MediatorError);
    expect(err.code).toBe('SEARCH_ATTRIBUTE_MISSING');
    expect(err.name).toBe('SearchAttributeMissingError');
    expect(err.command).toBe(command);
    expect(err.message).toContain(command);
    expect(err.message).toContain("namespace 'billing'");
    expect(err.message).toContain('{ searchAttributes: false }');
  });

  it('RecurringNotFoundError is a MediatorError', () => {
    const err = new RecurringNotFoundError('daily-cleanup');
    expect(err).toBeInstanceOf(MediatorError);
    expect(err.code).toBe('RECURRING_NOT_FOUND');
    expect(err.message).toContain('daily-cleanup');
  });
});

describe('error helpers', () => {
  it('formatIssues renders path: message, with (root) for the root', () => {
    expect(formatIssues(issues)).toBe('email: Invalid email; (root): Too many keys');
    expect(formatIssues([{ path: ['a', 0, 'b'], message: 'bad', code: 'x' }])).toBe('a.0.b: bad');
  });

  it('errorMessage normalises any thrown value', () => {
    expect(errorMessage(new Error('e'))).toBe('e');
    expect(errorMessage('s')).toBe('s');
    expect(errorMessage({ a: 1 })).toBe('{"a":1}');
    expect(errorMessage(10n)).toBe('10');
  });

  it('toError keeps Errors and wraps other values with the value as cause', () => {
    const e = new Error('e');
    expect(toError(e)).toBe(e);
    const wrapped = toError('plain');
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe('plain');
    expect(wrapped.cause).toBe('plain');
  });
});
