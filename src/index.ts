/**
 * `temporal-mediator`: contracts, handlers, the mediator (in process and durable on Temporal), jobs,
 * recurring jobs, errors, encryption and the in-memory backend. Loads only `@temporalio/client`
 * (and `common`, `proto`) and `zod`; the worker side is `temporal-mediator/worker`.
 */
export { defineCommand, defineQuery, defineNotification } from './contracts/definitions.js';
export type {
  AnyDefinition,
  BackgroundOptions,
  CommandDefinition,
  HandlerResultOf,
  InputOf,
  Lane,
  LaneFallback,
  NotificationDefinition,
  OutputOf,
  ParsedInputOf,
  QueryDefinition,
  RequestDefinition,
  RequestKind,
  RetryPolicy,
} from './contracts/definitions.js';
export { ContractVersionError } from './contracts/versions.js';
export type { PreviousInputs, Upcasters, VersionOptions } from './contracts/versions.js';
export { createHandlers, Handlers } from './contracts/registry.js';
export type {
  HandlerContext,
  HandlersOptions,
  NotificationHandler,
  ProgressReport,
  RequestHandler,
} from './contracts/registry.js';
export type { ConsoleLine, Progress } from './observability/console.js';
export { loggingBehavior, timeoutBehavior } from './contracts/pipeline.js';
export type {
  DispatchBehavior,
  DispatchContext,
  DispatchMode,
  HandleBehavior,
  HandleContext,
  HandleOverrides,
  Metadata,
} from './contracts/pipeline.js';
export { Mediator } from './client/mediator.js';
export { createMediator } from './create-mediator.js';
export type { ConnectionOptions, MediatorOptions, PublishStrategy } from './dispatch/options.js';
export type { PublishOptions, SendOptions } from './dispatch/in-process.js';
export type { EnqueueOptions, JobOptions, ScheduleOptions, ScheduleWhen } from './dispatch/plan.js';
export { JobIdConflictError } from './jobs/ids.js';
export { LaneUnsupportedError } from './dispatch/lane.js';
export type { LaneUnsupportedReason } from './dispatch/lane.js';
export type { JobIdReuse } from './jobs/ids.js';
export type { JobDescription, JobHandle, JobStatus } from './jobs/handle.js';
export { MEDIATOR_REQUEST } from './jobs/handle.js';
export type { JobFilter, RequestRef } from './jobs/filter.js';
export type { CountJobsOptions, JobCounts, JobSummary, ListJobsOptions } from './jobs/list.js';
export { JobNotRetryableError } from './jobs/retry.js';
export type { RetryJobOptions } from './jobs/retry.js';
export type {
  BatchOperationStatus,
  CancelJobsOptions,
  CancelJobsResult,
  RetryJobsOptions,
  RetryJobsResult,
} from './jobs/bulk.js';
export type { JobOperationsApi } from './jobs/operations.js';
export type { PriorityOptions } from './dispatch/priority.js';
export type { QueueHandle, QueueLimits } from './client/queue-control.js';
export type { Envelope, EnvelopeActivityOptions, PublishResult } from './dispatch/envelope.js';
export { consoleLogger } from './core/logger.js';
export type { LogAttributes, Logger, LogLevel } from './core/logger.js';
export type { Duration } from './core/durations.js';
export type { ValidateOptions } from './contracts/execute.js';
export {
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
  RequestValidationError,
  SearchAttributeMissingError,
} from './core/errors.js';
export type {
  HandlerOutcome,
  MediatorErrorCode,
  MediatorErrorContext,
  TimeoutKind,
  ValidationIssue,
  ValidationSide,
} from './core/errors.js';
export { EXECUTE_REQUEST_WORKFLOW, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from '../workflows/constants.js';
export type { QueuePoller, QueueStats } from './client/queues.js';
export type { RecurringMark, RecurringOptions, RecurringOverlap } from './recurring/options.js';
export { RecurringNotFoundError } from './recurring/handle.js';
export type {
  RecurringDescription,
  RecurringHandle,
  RecurringRun,
  RecurringSpecSummary,
  RecurringSummary,
} from './recurring/handle.js';
export { defineRecurring } from './recurring/sync.js';
export type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from './recurring/sync.js';
export {
  EncryptionCodec,
  EncryptionError,
  createEncryptionCodec,
  encryptionDataConverter,
} from './security/codec.js';
export type { EncryptionOptions } from './security/codec.js';
export { createCodecServer } from './security/codec-server.js';
export type { CodecAuthorizer, CodecServer, CodecServerOptions } from './security/codec-server.js';
export { TRACER_NAME, telemetryClientInterceptors } from './observability/telemetry.js';
export type { SpanProcessorLike, TelemetryOptions, TracerProviderLike } from './observability/telemetry.js';
export type { MediatorApi } from './api/mediator-api.js';
export * from './in-memory/index.js';
