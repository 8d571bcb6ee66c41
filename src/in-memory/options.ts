import type { BackgroundOptions } from '../contracts/definitions.js';
import type { Duration } from '../core/durations.js';
import { toMs } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import type { ValidateOptions } from '../contracts/execute.js';
import type { Logger } from '../core/logger.js';
import type { PublishStrategy, ResolvedMediatorOptions } from '../dispatch/options.js';
import { defaultMediatorOptions } from '../dispatch/options.js';
import type { DispatchBehavior } from '../contracts/pipeline.js';
import type { Handlers } from '../contracts/registry.js';
import { createHandlers } from '../contracts/registry.js';
import type { Clock } from './clock.js';
import { realClock } from './clock.js';

/** What the simulated worker of an in-memory mediator does (`createWorker`'s options of the same names). */
export interface InMemoryWorkerOptions {
  /** Which schemas the worker side checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** Keep the handlers' `ctx.log` lines in the job's console (`job.logs()`). @default true */
  console?: boolean;
  /** Handler log lines, with job context. @default the mediator's `logger` */
  logger?: Logger;
}

/**
 * Options of `createInMemoryMediator`: the caller-side options of `createMediator` (minus the
 * connection), the handlers every queue is served by, and the clock.
 */
export interface InMemoryMediatorOptions {
  /** The handlers that serve every queue, and `send`/`publish`. @default an empty registry (every job fails with `HandlerNotFoundError`) */
  handlers?: Handlers;
  /** Dispatch behaviors, outermost first: run at the caller before anything starts. @default [] */
  behaviors?: DispatchBehavior[];
  /** Defaults for background runs, under each request's own. @default { queue: 'default' } */
  defaults?: BackgroundOptions;
  /** Which schemas the caller checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** Logger for handlers (`ctx.log`), in process and in jobs. @default consoleLogger() */
  logger?: Logger;
  /** How `publish` runs handlers in process. @default 'sequential' */
  publishStrategy?: PublishStrategy;
  /** Largest serialised envelope accepted at the caller, in bytes (Temporal's limit). @default 2097152 */
  maxPayloadBytes?: number;
  /** Time source for delays, retries, timeouts and recurring runs; see `createTestClock`. @default realClock() */
  clock?: Clock;
  /** The simulated worker. @default { validate: { input: true, output: true }, console: true } */
  worker?: InMemoryWorkerOptions;
  /**
   * How long a finished job (its result, failure and console) is kept after it closes; then
   * `job(id)` throws `JobNotFoundError`, as on Temporal after the namespace retention. Measured on
   * `clock`. The memory bound is `maxFinishedJobs`; this only ages jobs out. @default '24h' (the
   * dev server's namespace retention)
   */
  retention?: Duration;
  /** Finished jobs kept at most, whatever their age: the oldest finished are forgotten first. @default 10000 */
  maxFinishedJobs?: number;
  /**
   * Dispatch records kept for `dispatched()` and the testing matchers (`toHaveEnqueued`, …): the
   * last `maxRecords`, the oldest go first. Off by default, because a record keeps its input alive
   * and costs every `send` a clock read: a single-instance app has no use for them, and with them
   * an in-memory `send` ran at about half its rate. `dispatched()` on a mediator that keeps none
   * throws `InvalidOptionError` rather than answering "nothing was dispatched".
   * @default 0 (none); 10000 in `createTestHarness`
   */
  maxRecords?: number;
}

/** `createMediator`'s options in in-memory mode. */
export interface InMemoryModeOptions extends InMemoryMediatorOptions {
  /** Run jobs in this process, without Temporal (not durable). */
  inMemory: true;
}

/** Whether `createMediator`'s options ask for in-memory mode. */
export function isInMemoryMode(options: object): options is InMemoryModeOptions {
  return (options as { inMemory?: unknown }).inMemory === true;
}

/** {@link InMemoryMediatorOptions} with defaults applied. */
export interface ResolvedInMemoryOptions {
  mediator: ResolvedMediatorOptions;
  handlers: Handlers;
  clock: Clock;
  worker: { validate: Required<ValidateOptions>; console: boolean; logger: Logger };
  retentionMs: number;
  maxFinishedJobs: number;
  maxRecords: number;
}

/** The one place the in-memory mediator's defaults live (the caller side reuses the mediator's). */
export function defaultInMemoryOptions(options: InMemoryMediatorOptions = {}): ResolvedInMemoryOptions {
  const mediator = defaultMediatorOptions({
    behaviors: options.behaviors,
    defaults: options.defaults,
    validate: options.validate,
    logger: options.logger,
    publishStrategy: options.publishStrategy,
    maxPayloadBytes: options.maxPayloadBytes,
    searchAttributes: false,
  });
  return {
    mediator: { ...mediator, address: 'in-memory', namespace: 'in-memory' },
    handlers: options.handlers ?? createHandlers(),
    clock: options.clock ?? realClock(),
    worker: {
      validate: {
        input: options.worker?.validate?.input ?? true,
        output: options.worker?.validate?.output ?? true,
      },
      console: options.worker?.console ?? true,
      logger: options.worker?.logger ?? mediator.logger,
    },
    retentionMs: toMs(options.retention ?? '24h', 'retention'),
    maxFinishedJobs: count(options.maxFinishedJobs, 10_000, 'maxFinishedJobs'),
    maxRecords: count(options.maxRecords, 0, 'maxRecords'),
  };
}

function count(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new InvalidOptionError(option, 'must be an integer >= 0');
  return value;
}
