/**
 * The base of every mediator error: {@link MediatorError} with a stable `code`, the request name and,
 * once a job exists, its id; and the helpers that normalise thrown values.
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
