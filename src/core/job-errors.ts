/** Errors of a job and its transport: timeouts, cancellation, lookup, payload, connection, setup. */
import type { MediatorErrorContext } from './error-base.js';
import { MediatorError, errorMessage } from './error-base.js';

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
