/**
 * `temporal-mediator`: contracts, handlers, the mediator (in process and durable on Temporal), jobs,
 * recurring jobs, errors, encryption and the in-memory backend. Loads only `@temporalio/client`
 * (and `common`, `proto`) and `zod`; the worker side is `temporal-mediator/worker`.
 */
export { defineCommand, defineQuery, defineNotification } from './contracts.js';
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
} from './contracts.js';
export { ContractVersionError } from './versions.js';
export type { PreviousInputs, Upcasters, VersionOptions } from './versions.js';
export { createHandlers, Handlers } from './registry.js';
export type {
  HandlerContext,
  HandlersOptions,
  NotificationHandler,
  ProgressReport,
  RequestHandler,
} from './registry.js';
export type { ConsoleLine, Progress } from './console.js';
export { loggingBehavior, timeoutBehavior } from './pipeline.js';
export type {
  DispatchBehavior,
  DispatchContext,
  DispatchMode,
  HandleBehavior,
  HandleContext,
  HandleOverrides,
  Metadata,
} from './pipeline.js';
export { createMediator, Mediator } from './mediator.js';
export type { ConnectionOptions, MediatorOptions, PublishStrategy } from './options.js';
export type { PublishOptions, SendOptions } from './in-process.js';
export type { EnqueueOptions, JobOptions, ScheduleOptions, ScheduleWhen } from './dispatch.js';
export { JobIdConflictError } from './job-ids.js';
export { LaneUnsupportedError } from './lanes/lane.js';
export type { LaneUnsupportedReason } from './lanes/lane.js';
export type { JobIdReuse } from './job-ids.js';
export type { JobDescription, JobHandle, JobStatus } from './jobs.js';
export { MEDIATOR_REQUEST } from './jobs.js';
export type { JobFilter, RequestRef } from './job-filter.js';
export type { CountJobsOptions, JobCounts, JobSummary, ListJobsOptions } from './job-list.js';
export { JobNotRetryableError } from './job-retry.js';
export type { RetryJobOptions } from './job-retry.js';
export type {
  BatchOperationStatus,
  CancelJobsOptions,
  CancelJobsResult,
  RetryJobsOptions,
  RetryJobsResult,
} from './job-bulk.js';
export type { JobOperationsApi } from './job-operations.js';
export type { PriorityOptions } from './priority.js';
export type { QueueHandle, QueueLimits } from './queue-control.js';
export type { Envelope, EnvelopeActivityOptions, PublishResult } from './envelope.js';
export { consoleLogger } from './logger.js';
export type { LogAttributes, Logger, LogLevel } from './logger.js';
export type { Duration } from './durations.js';
export type { ValidateOptions } from './execute.js';
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
} from './errors.js';
export type {
  HandlerOutcome,
  MediatorErrorCode,
  MediatorErrorContext,
  TimeoutKind,
  ValidationIssue,
  ValidationSide,
} from './errors.js';
export { EXECUTE_REQUEST_WORKFLOW, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from '../workflows/constants.js';
export type { QueuePoller, QueueStats } from './queues.js';
export type { RecurringMark, RecurringOptions, RecurringOverlap } from './recurring-options.js';
export { RecurringNotFoundError } from './recurring.js';
export type {
  RecurringDescription,
  RecurringHandle,
  RecurringRun,
  RecurringSpecSummary,
  RecurringSummary,
} from './recurring.js';
export { defineRecurring } from './recurring-sync.js';
export type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from './recurring-sync.js';
export { EncryptionCodec, EncryptionError, createEncryptionCodec, encryptionDataConverter } from './codec.js';
export type { EncryptionOptions } from './codec.js';
export { createCodecServer } from './codec-server.js';
export type { CodecAuthorizer, CodecServer, CodecServerOptions } from './codec-server.js';
export { TRACER_NAME, telemetryClientInterceptors } from './telemetry.js';
export type { SpanProcessorLike, TelemetryOptions, TracerProviderLike } from './telemetry.js';
export type { MediatorApi } from './mediator-api.js';
export * from './in-memory/index.js';
