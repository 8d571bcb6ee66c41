/**
 * Every error the mediator raises is a `MediatorError` with a stable `code`, the request name and,
 * once a job exists, its id. Subclasses exist only where callers branch or need fields.
 */
export * from './error-base.js';
export * from './request-errors.js';
export * from './job-errors.js';
