/**
 * Every error the mediator raises is a {@link MediatorError} with a stable `code`, the request name
 * and, once a job exists, its id. Subclasses exist only where callers branch or need fields.
 */

/** Stable error codes, one per condition. */
export type MediatorErrorCode =
  | 'REQUEST_VALIDATION'
  | 'HANDLER_OUTPUT'
  | 'HANDLER_NOT_FOUND'
  | 'HANDLER_FAILED'
  | 'NON_RETRYABLE'
  | 'AGGREGATE_HANDLER'
  | 'DUPLICATE_REGISTRATION'
  | 'INVALID_DEFINITION'
  | 'INVALID_OPTION'
  | 'JOB_TIMEOUT'
  | 'JOB_CANCELLED'
  | 'JOB_NOT_FOUND'
  | 'JOB_ID_CONFLICT'
  | 'JOB_NOT_RETRYABLE'
  | 'RECURRING_NOT_FOUND'
  | 'JOB_FAILED'
  | 'PAYLOAD'
  | 'CONNECTION'
  | 'SEARCH_ATTRIBUTE_MISSING'
  | 'NOT_CONFIGURED'
  | 'CONTRACT_VERSION'
  | 'LANE_UNSUPPORTED';

/** Context every error may carry. */
export interface MediatorErrorContext {
  /** The request's registered name. */
  request?: string;
  /** The job (workflow) id, once one exists. */
  jobId?: string;
  /** The handler attempt the error came from (1-based). */
  attempt?: number;
  /** The original error. */
  cause?: unknown;
}

/** Base class of all temporal-mediator errors. */
export class MediatorError extends Error {
  override readonly name: string = 'MediatorError';
  readonly code: MediatorErrorCode;
  readonly request: string | undefined;
  readonly jobId: string | undefined;
  readonly attempt: number | undefined;

  constructor(code: MediatorErrorCode, message: string, context: MediatorErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.request = context.request;
    this.jobId = context.jobId;
    this.attempt = context.attempt;
  }
}

/** One problem found by a schema, in a serialisable form. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

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

/** Which timeout fired. */
export type TimeoutKind = 'attempt' | 'job' | 'heartbeat' | 'schedule';

/** An attempt (handler) or the whole job timed out. */
export class JobTimeoutError extends MediatorError {
  override readonly name = 'JobTimeoutError';
  readonly timeout: TimeoutKind;
  constructor(
    request: string,
    timeout: TimeoutKind,
    context: MediatorErrorContext & { after?: string } = {},
  ) {
    const what =
      timeout === 'job'
        ? 'job execution timeout'
        : timeout === 'heartbeat'
          ? 'heartbeat timeout'
          : 'attempt (start-to-close) timeout';
    const after = context.after ? ` of ${context.after}` : '';
    const job = context.jobId ? ` (job ${context.jobId})` : '';
    super('JOB_TIMEOUT', `${request}: ${what}${after} exceeded${job}`, { ...context, request });
    this.timeout = timeout;
  }
}

/** The job was cancelled. */
export class JobCancelledError extends MediatorError {
  override readonly name = 'JobCancelledError';
  constructor(request: string | undefined, context: MediatorErrorContext = {}) {
    super(
      'JOB_CANCELLED',
      `${request ?? 'job'}: cancelled${context.jobId ? ` (job ${context.jobId})` : ''}`,
      {
        ...context,
        request,
      },
    );
  }
}

/** No job with that id exists (or it was deleted by retention). */
export class JobNotFoundError extends MediatorError {
  override readonly name = 'JobNotFoundError';
  constructor(jobId: string, context: MediatorErrorContext = {}) {
    super('JOB_NOT_FOUND', `Job '${jobId}' not found (never started, or removed by namespace retention)`, {
      ...context,
      jobId,
    });
  }
}

/** The job failed for a reason other than its handler (e.g. terminated, workflow error). */
export class JobFailedError extends MediatorError {
  override readonly name = 'JobFailedError';
  constructor(request: string | undefined, message: string, context: MediatorErrorContext = {}) {
    super('JOB_FAILED', `${request ?? 'job'}: ${message}${context.jobId ? ` (job ${context.jobId})` : ''}`, {
      ...context,
      request,
    });
  }
}

/** The payload cannot be serialised or exceeds the size limit. Nothing was started. */
export class PayloadError extends MediatorError {
  override readonly name = 'PayloadError';
  readonly size: number | undefined;
  readonly limit: number | undefined;
  constructor(
    request: string,
    message: string,
    context: MediatorErrorContext & { size?: number; limit?: number } = {},
  ) {
    super('PAYLOAD', `${request}: ${message}`, { ...context, request });
    this.size = context.size;
    this.limit = context.limit;
  }
}

/** The Temporal server could not be reached. */
export class ConnectionError extends MediatorError {
  override readonly name = 'ConnectionError';
  readonly address: string;
  constructor(address: string, cause: unknown, during?: string) {
    super(
      'CONNECTION',
      `Cannot ${during ? 'reach' : 'connect to'} Temporal at ${address}${during ? ` ${during}` : ''}: ${errorMessage(cause)}`,
      { cause },
    );
    this.address = address;
  }
}

/** The `MediatorRequest` search attribute is not registered on the namespace. */
export class SearchAttributeMissingError extends MediatorError {
  override readonly name = 'SearchAttributeMissingError';
  readonly command: string;
  constructor(namespace: string, address: string, cause?: unknown) {
    const command = `temporal operator search-attribute create --namespace ${namespace} --address ${address} --name MediatorRequest --type Keyword`;
    super(
      'SEARCH_ATTRIBUTE_MISSING',
      `The search attribute 'MediatorRequest' (Keyword) is not registered on namespace '${namespace}'. ` +
        `Register it with:\n  ${command}\nor pass { searchAttributes: false } to createMediator to run without it.`,
      { cause },
    );
    this.command = command;
  }
}

/** An operation needs something the mediator was not created with (handlers, a connection). */
export class NotConfiguredError extends MediatorError {
  override readonly name = 'NotConfiguredError';
  constructor(message: string, context: MediatorErrorContext = {}) {
    super('NOT_CONFIGURED', message, context);
  }
}

/** Renders issues as `path: message; …`. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Normalises any thrown value to a message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Normalises any thrown value to an `Error`. */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(errorMessage(err), { cause: err });
}
