/**
 * Names and defaults shared by the workflow, the activities and the client. This module imports
 * nothing, so the deterministic workflow sandbox and the client can both load it.
 */

/** The workflow type every background request runs as. */
export const EXECUTE_REQUEST_WORKFLOW = 'executeRequest';

/** The Keyword search attribute holding the request name. */
export const MEDIATOR_REQUEST_SEARCH_ATTRIBUTE = 'MediatorRequest';

/** Activity type of the local activity that lists a notification's handlers on the worker. */
export const LIST_HANDLERS_ACTIVITY = '__mediator.listHandlers';

/**
 * The newest envelope version this code reads. Version 2 adds `version` (the caller's contract
 * version). Callers write the oldest version that can carry the envelope, so jobs of unchanged
 * contracts stay readable by workers of every release.
 */
export const ENVELOPE_VERSION = 2;

/**
 * Patch id guarding the envelope-version rule: histories recorded before it (where any version but
 * 1 failed the job) replay as they ran; new ones fail only the workflow task for a newer envelope.
 */
export const ENVELOPE_VERSIONS_PATCH = 'mediator.envelope-versions';

/**
 * Failure type a handler activity reports for a payload of a newer contract version than the
 * worker's: the workflow waits and schedules it again (no handler ran, no retry spent).
 */
export const CONTRACT_AHEAD_TYPE = 'ContractVersionAhead';

/** Longest wait between two tries of a payload no worker's contract knows yet, in ms (5 minutes). */
export const CONTRACT_AHEAD_MAX_WAIT_MS = 5 * 60_000;

/** Default time one handler attempt may take, in ms (5 minutes). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5 * 60_000;

/** Default heartbeat timeout, in ms: how quickly a dead worker's attempt is retried elsewhere. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

/** Default retry policy of a handler attempt. */
export const DEFAULT_RETRY = Object.freeze({
  maximumAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
});

/** Error types the workflow and the client treat as non-retryable. */
export const NON_RETRYABLE_TYPES = Object.freeze([
  'RequestValidationError',
  'HandlerOutputError',
  'HandlerNotFoundError',
  'NonRetryableError',
  'EnvelopeError',
]);

/** Separator between a notification's name and its handler's name in activity types. */
export const HANDLER_SEPARATOR = ':';

/** Signal carrying a batch of console lines and the latest progress from a handler to its job. */
export const CONSOLE_SIGNAL = 'mediator.console';

/** Query returning a job's console lines. */
export const LOGS_QUERY = 'mediator.logs';

/** Query returning a job's latest progress. */
export const PROGRESS_QUERY = 'mediator.progress';

/** Console lines a job keeps (oldest dropped first). */
export const CONSOLE_MAX_LINES = 1000;

/** Longest console message kept, in characters. */
export const CONSOLE_MAX_MESSAGE = 2000;
