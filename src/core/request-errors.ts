/** Errors of a request itself: its input, output, handler, registration and options. */
import type { MediatorErrorContext, ValidationIssue } from './error-base.js';
import { MediatorError, formatIssues } from './error-base.js';

/** Where validation ran. */
export type ValidationSide = 'caller' | 'worker' | 'handler';

/** The input failed the request's schema. Never retried. */
export class RequestValidationError extends MediatorError {
  override readonly name = 'RequestValidationError';
  readonly issues: ValidationIssue[];
  readonly side: ValidationSide;
  constructor(
    request: string,
    issues: ValidationIssue[],
    context: MediatorErrorContext & { side?: ValidationSide } = {},
  ) {
    super(
      'REQUEST_VALIDATION',
      `${request}: invalid input (${context.side ?? 'caller'}): ${formatIssues(issues)}`,
      {
        ...context,
        request,
      },
    );
    this.issues = issues;
    this.side = context.side ?? 'caller';
  }
}

/** The handler's result failed the request's output schema. Never retried. */
export class HandlerOutputError extends MediatorError {
  override readonly name = 'HandlerOutputError';
  readonly issues: ValidationIssue[];
  constructor(request: string, issues: ValidationIssue[], context: MediatorErrorContext = {}) {
    super('HANDLER_OUTPUT', `${request}: handler returned an invalid result: ${formatIssues(issues)}`, {
      ...context,
      request,
    });
    this.issues = issues;
  }
}

/** No handler is registered for the request (in process, or on the worker serving the queue). */
export class HandlerNotFoundError extends MediatorError {
  override readonly name = 'HandlerNotFoundError';
  readonly queue: string | undefined;
  readonly available: string[];
  constructor(request: string, available: string[], context: MediatorErrorContext & { queue?: string } = {}) {
    const where = context.queue ? ` on task queue '${context.queue}'` : '';
    const list = available.length ? available.join(', ') : '(none)';
    super('HANDLER_NOT_FOUND', `No handler for request '${request}'${where}. Registered handlers: ${list}`, {
      ...context,
      request,
    });
    this.queue = context.queue;
    this.available = available;
  }
}

/**
 * Throw from a handler to fail the job at once, without retries (BullMQ's `UnrecoverableError`).
 *
 * @example
 * if (!user) throw new NonRetryableError(`user ${id} does not exist`);
 */
export class NonRetryableError extends MediatorError {
  override readonly name = 'NonRetryableError';
  /** Application-defined type, preserved across the wire. */
  readonly type: string;
  constructor(message: string, options: { type?: string; cause?: unknown } = {}) {
    super('NON_RETRYABLE', message, { cause: options.cause });
    this.type = options.type ?? 'NonRetryableError';
  }
}

/** The handler threw (after all retries, for a job). */
export class HandlerFailedError extends MediatorError {
  override readonly name = 'HandlerFailedError';
  /** The type (class name) of the error the handler threw. */
  readonly type: string;
  /** Whether the failure was marked non-retryable. */
  readonly nonRetryable: boolean;
  constructor(
    request: string,
    message: string,
    context: MediatorErrorContext & { type?: string; nonRetryable?: boolean } = {},
  ) {
    const attempts = context.attempt ? ` after ${context.attempt} attempt(s)` : '';
    const job = context.jobId ? ` (job ${context.jobId})` : '';
    super('HANDLER_FAILED', `${request}: handler failed${attempts}${job}: ${message}`, {
      ...context,
      request,
    });
    this.type = context.type ?? 'Error';
    this.nonRetryable = context.nonRetryable ?? false;
  }
}

/** The outcome of one notification handler. */
export type HandlerOutcome =
  | { handler: string; status: 'fulfilled' }
  | { handler: string; status: 'rejected'; error: { message: string; type: string } };

/** One or more notification handlers failed; every handler still ran. */
export class AggregateHandlerError extends MediatorError {
  override readonly name = 'AggregateHandlerError';
  readonly outcomes: HandlerOutcome[];
  readonly errors: unknown[];
  constructor(
    request: string,
    outcomes: HandlerOutcome[],
    context: MediatorErrorContext & { errors?: unknown[] } = {},
  ) {
    const failed = outcomes.filter((o) => o.status === 'rejected');
    const detail = failed
      .map((o) => `${o.handler}: ${o.status === 'rejected' ? o.error.message : ''}`)
      .join('; ');
    super(
      'AGGREGATE_HANDLER',
      `${request}: ${failed.length} of ${outcomes.length} handler(s) failed: ${detail}`,
      {
        ...context,
        request,
      },
    );
    this.outcomes = outcomes;
    this.errors = context.errors ?? [];
  }
}

/** A name was registered twice, or a command got a second handler. */
export class DuplicateRegistrationError extends MediatorError {
  override readonly name = 'DuplicateRegistrationError';
  constructor(message: string, request: string) {
    super('DUPLICATE_REGISTRATION', message, { request });
  }
}

/** A request definition or an option is malformed. */
export class InvalidOptionError extends MediatorError {
  override readonly name = 'InvalidOptionError';
  readonly option: string;
  constructor(option: string, message: string, context: MediatorErrorContext = {}) {
    super(
      'INVALID_OPTION',
      `${context.request ? `${context.request}: ` : ''}invalid option '${option}': ${message}`,
      context,
    );
    this.option = option;
  }
}
