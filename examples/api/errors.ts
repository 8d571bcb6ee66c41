/**
 * Maps the mediator's errors to HTTP responses: one table, keyed by the stable `code`.
 */
import type { ZodError } from 'zod';
import { MediatorError, RequestValidationError } from '../../src/index.js';
import { errorMessage } from '../../src/core/errors.js';
import type { MediatorErrorCode, ValidationIssue } from '../../src/index.js';

/** The body of every error response. */
export interface ErrorBody {
  error: {
    /** The mediator's error code, or `BAD_REQUEST` / `INTERNAL` for HTTP-level problems. */
    code: string;
    message: string;
    request?: string;
    jobId?: string;
    issues?: ValidationIssue[];
  };
}

/** A request body that is not a contract input (e.g. the stress test's) failed its schema. */
export class InvalidBodyError extends Error {
  override readonly name = 'InvalidBodyError';
  readonly issues: ValidationIssue[];
  constructor(error: ZodError) {
    super('invalid request body');
    this.issues = error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
      code: i.code,
    }));
  }
}

/**
 * HTTP status per mediator error code. A job that failed on the worker is an upstream failure
 * (502), not a bug of this API (500); configuration problems are 500/503.
 */
const STATUS: Record<MediatorErrorCode, number> = {
  REQUEST_VALIDATION: 400,
  INVALID_OPTION: 400,
  PAYLOAD: 413,
  JOB_NOT_FOUND: 404,
  LANE_UNSUPPORTED: 501,
  RECURRING_NOT_FOUND: 404,
  JOB_CANCELLED: 409,
  JOB_NOT_RETRYABLE: 409,
  JOB_ID_CONFLICT: 409,
  JOB_TIMEOUT: 504,
  HANDLER_FAILED: 502,
  NON_RETRYABLE: 502,
  HANDLER_OUTPUT: 502,
  AGGREGATE_HANDLER: 502,
  JOB_FAILED: 502,
  CONTRACT_VERSION: 502,
  HANDLER_NOT_FOUND: 502,
  CONNECTION: 503,
  SEARCH_ATTRIBUTE_MISSING: 503,
  NOT_CONFIGURED: 501,
  DUPLICATE_REGISTRATION: 500,
  INVALID_DEFINITION: 500,
};

/** The status and body for anything a route threw. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof InvalidBodyError) {
    return {
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: err.message, issues: err.issues } },
    };
  }
  if (err instanceof MediatorError) {
    // Input rejected by a worker (another caller's old contract) is the job's failure, not this request's.
    const upstream = err instanceof RequestValidationError && err.side !== 'caller';
    const status = upstream ? 502 : STATUS[err.code];
    const body: ErrorBody = {
      error: {
        code: err.code,
        message: err.message,
        ...(err.request ? { request: err.request } : {}),
        ...(err.jobId ? { jobId: err.jobId } : {}),
        ...(err instanceof RequestValidationError ? { issues: err.issues } : {}),
      },
    };
    return { status, body };
  }
  // Fastify's own errors (malformed JSON, unsupported media type) carry a 4xx statusCode.
  const statusCode = (err as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: { error: { code: 'BAD_REQUEST', message: errorMessage(err) } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: errorMessage(err) } } };
}
