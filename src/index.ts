export { defineCommand, defineQuery, defineNotification } from './contracts.js';
export type {
  AnyDefinition,
  BackgroundOptions,
  CommandDefinition,
  HandlerResultOf,
  InputOf,
  NotificationDefinition,
  OutputOf,
  ParsedInputOf,
  QueryDefinition,
  RequestDefinition,
  RequestKind,
  RetryPolicy,
} from './contracts.js';
export { createHandlers, Handlers } from './registry.js';
export type {
  HandlerContext,
  HandlersOptions,
  NotificationHandler,
  ProgressReport,
  RequestHandler,
} from './registry.js';
export type { ConsoleLine, Progress } from './console.js';
export type { ConsoleOptions } from '../activities/console.js';
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
export { defaultMediatorOptions } from './options.js';
export type { PublishOptions, SendOptions } from './in-process.js';
export type { EnqueueOptions, ScheduleOptions } from './dispatch.js';
export { uuidv7 } from './ids.js';
export type { JobDescription, JobHandle, JobStatus } from './jobs.js';
export { MEDIATOR_REQUEST } from './jobs.js';
export { envelopeSchema } from './envelope.js';
export type { Envelope, EnvelopeActivityOptions, PublishResult } from './envelope.js';
export { createWorker, bundleMediatorWorkflows, workflowsPath } from './worker.js';
export type { MediatorWorker, QueueOptions, WorkerOptions } from './worker.js';
export { consoleLogger } from './logger.js';
export type { LogAttributes, Logger, LogLevel } from './logger.js';
export type { Duration } from './durations.js';
export type { ValidateOptions } from './execute.js';
export * from './errors.js';
export { EXECUTE_REQUEST_WORKFLOW, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from '../workflows/constants.js';
export type { QueuePoller, QueueStats } from './queues.js';
export { validateCron, validateTimezone } from './cron.js';
export type { CheckedCron } from './cron.js';
export { RECURRING_MEMO_KEY, defaultRecurringOptions } from './recurring-options.js';
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
export {
  ENCRYPTED_ENCODING,
  ENCRYPTION_CIPHER,
  ENCRYPTION_CIPHER_METADATA,
  ENCRYPTION_KEY_ID_METADATA,
  EncryptionCodec,
  EncryptionError,
  createEncryptionCodec,
  encryptionDataConverter,
} from './codec.js';
export type { EncryptionOptions } from './codec.js';
export { createCodecServer } from './codec-server.js';
export type { CodecServer, CodecServerOptions } from './codec-server.js';
export { toConnectArgs } from './connection-options.js';
export type { ConnectArgs } from './connection-options.js';
export { TRACER_NAME, otelWorkflowInterceptorsPath, telemetryClientInterceptors } from './telemetry.js';
export type { TelemetryOptions } from './telemetry.js';
export { installMetrics } from './metrics.js';
export type { MetricsOptions, PrometheusOptions } from './metrics.js';
export type { MediatorApi } from './mediator.js';
export * from './in-memory/index.js';
