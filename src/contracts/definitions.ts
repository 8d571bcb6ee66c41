import type { z } from 'zod';
import type { Duration } from '../core/durations.js';
import { optionalMs } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import type { AnyUpcasters, PreviousInputs, VersionOptions } from './versions.js';
import { validateVersions } from './versions.js';

/** What a request is: a command changes state, a query reads it, a notification fans out. */
export type RequestKind = 'command' | 'query' | 'notification';

/** Retry policy of a handler attempt when it runs as a background job (Temporal's activity retry policy). */
export interface RetryPolicy {
  /** Attempts in total, the first included; `0` means unlimited. @default 3 */
  maximumAttempts?: number;
  /** Delay before the first retry. @default '1s' */
  initialInterval?: Duration;
  /** Each retry's delay is the previous one times this. @default 2 */
  backoffCoefficient?: number;
  /** Cap on the delay between retries. @default 100 × initialInterval (Temporal's default) */
  maximumInterval?: Duration;
  /** Error types (class names or `NonRetryableError` `type`s) that are never retried. @default [] */
  nonRetryableErrorTypes?: string[];
}

/** Defaults for background runs of a request; every one can be overridden per call. */
export interface BackgroundOptions {
  /** Task queue the job runs on. @default 'default' */
  queue?: string;
  /** Retry policy of the handler. @default { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 } */
  retry?: RetryPolicy;
  /** Time one handler attempt may take (activity start-to-close timeout). @default '5m' */
  timeout?: Duration;
  /**
   * Longest silence between a running handler's heartbeats (the activity heartbeat timeout) before
   * Temporal counts the attempt as lost and retries it, elsewhere if need be. The worker heartbeats
   * every second while the handler runs, as long as the event loop is free: raise it for handlers that
   * block the event loop (CPU-bound work) longer, or a second attempt starts while the first still
   * runs. Lower values find dead workers sooner. Ignored in the fast lane (local activities do not
   * heartbeat). @default '10s'
   */
  heartbeatTimeout?: Duration;
  /** Time the whole job may take, retries included (workflow execution timeout). @default unlimited */
  jobTimeout?: Duration;
  /** Human-readable description, shown as the job's summary in the Web UI. @default the request name */
  description?: string;
  /**
   * Ship the handler's `ctx.log` lines to the job's console (Web UI current details, `job.logs()`).
   * Turn off for chatty handlers or sensitive logs. @default true
   */
  console?: boolean;
  /**
   * Fast lane: run the handler as a local activity inside the worker that runs the job's workflow
   * task, and start the workflow eagerly when the mediator shares a `NativeConnection` with a worker
   * in the same process. Lower latency (no activity task round trip); trade-offs: the handler always
   * runs on the job's queue, it has no heartbeats (a dead worker's attempt is retried after the
   * attempt timeout, so keep `timeout` short — seconds, not minutes), and its attempts appear in the
   * history as markers rather than activity events.
   * @deprecated use `lane: 'fast'` (`fastLane: true` is read as `lane: 'fast'`, `false` as `'workflow'`;
   * `lane` wins when both are set).
   * @default false
   */
  fastLane?: boolean;
  /**
   * How the job runs (see the lane table in the README):
   * - `'workflow'`: the `executeRequest` workflow calls the handler's activity. Everything: the job
   *   console, fan-out, schedules, the job's history in the Web UI.
   * - `'fast'`: the same workflow runs the handler as a local activity, started eagerly (see `fastLane`).
   * - `'standalone'`: a Temporal Standalone Activity (server >= 1.32 with `activity.enableStandalone`,
   *   `@temporalio/client` >= 1.24): no workflow, about half the latency and 2.5x the throughput.
   *   Commands and queries only; no job history (one activity execution), and `logs()` returns the
   *   latest lines the handler's heartbeats carry (the full log stays in the worker log).
   * @default 'workflow' (or `'fast'` with the deprecated `fastLane: true`)
   */
  lane?: Lane;
  /**
   * What a job whose lane cannot run it does: `'error'` refuses it with `LaneUnsupportedError`
   * (naming what is needed); `'workflow'` runs it on the workflow lane instead (a server or SDK
   * without standalone activities, a notification or a recurring job on `lane: 'standalone'`).
   * @default 'error'
   */
  laneFallback?: LaneFallback;
}

/** How a background job runs; see {@link BackgroundOptions.lane}. */
export type Lane = 'workflow' | 'fast' | 'standalone';
/** See {@link BackgroundOptions.laneFallback}. */
export type LaneFallback = 'error' | 'workflow';

const LANES: readonly Lane[] = ['workflow', 'fast', 'standalone'];
const FALLBACKS: readonly LaneFallback[] = ['error', 'workflow'];

/** Fields every definition has. */
interface BaseDefinition<Name extends string, In extends z.ZodType> extends Readonly<BackgroundOptions> {
  readonly name: Name;
  readonly input: In;
  /** The contract version (see `VersionOptions.version`). @default 1 */
  readonly version?: number;
  /** Input schemas of older versions. @default {} */
  readonly previousInputs?: PreviousInputs;
  /** Upcasters from older versions, types erased. @default {} */
  readonly upcast?: AnyUpcasters;
}

/** A command: one handler, changes state, returns `output`. */
export interface CommandDefinition<
  Name extends string = string,
  In extends z.ZodType = z.ZodType,
  Out extends z.ZodType = z.ZodType,
> extends BaseDefinition<Name, In> {
  readonly kind: 'command';
  readonly output: Out;
}

/** A query: one handler, reads state, returns `output`. */
export interface QueryDefinition<
  Name extends string = string,
  In extends z.ZodType = z.ZodType,
  Out extends z.ZodType = z.ZodType,
> extends BaseDefinition<Name, In> {
  readonly kind: 'query';
  readonly output: Out;
}

/** A notification: any number of named handlers, no result. */
export interface NotificationDefinition<
  Name extends string = string,
  In extends z.ZodType = z.ZodType,
> extends BaseDefinition<Name, In> {
  readonly kind: 'notification';
  readonly output?: undefined;
}

/** A command or a query: something with exactly one handler and a result. */
export type RequestDefinition = CommandDefinition | QueryDefinition;
/** Any definition. */
export type AnyDefinition = RequestDefinition | NotificationDefinition;

/** What a caller passes (the input schema's input type). */
export type InputOf<D extends AnyDefinition> = z.input<D['input']>;
/** What a handler receives (the input schema's parsed type). */
export type ParsedInputOf<D extends AnyDefinition> = z.output<D['input']>;
/** What a caller receives (the output schema's parsed type). */
export type OutputOf<D extends AnyDefinition> = D extends RequestDefinition ? z.output<D['output']> : void;
/** What a handler returns (the output schema's input type). */
export type HandlerResultOf<D extends AnyDefinition> = D extends RequestDefinition
  ? z.input<D['output']>
  : void;

/** Arguments of {@link defineCommand} and {@link defineQuery}. */
export interface RequestDefinitionInit<
  Name extends string,
  In extends z.ZodType,
  Out extends z.ZodType,
  P extends PreviousInputs = PreviousInputs,
>
  extends BackgroundOptions, VersionOptions<In, P> {
  /** Unique request name: the activity type and the prefix of job ids. Letters, digits, `.`, `_`, `-`. */
  name: Name;
  /** Input schema, validated at the caller and again at the handler. */
  input: In;
  /** Output schema, validated after the handler returns. */
  output: Out;
}

/** Arguments of {@link defineNotification}. */
export interface NotificationDefinitionInit<
  Name extends string,
  In extends z.ZodType,
  P extends PreviousInputs = PreviousInputs,
>
  extends BackgroundOptions, VersionOptions<In, P> {
  name: Name;
  input: In;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = new Set(['default']);

function isSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** Checks a request name; shared with notification handler names. */
export function assertValidName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name) || RESERVED.has(name) || name.startsWith('__')) {
    throw new InvalidOptionError(
      'name',
      `${what} ${JSON.stringify(name)} is invalid: use letters, digits, '.', '_' or '-', starting with a letter or '_', not 'default' and not starting with '__'`,
    );
  }
}

/** Validates the background defaults eagerly so a bad definition fails at import time, not at the first job. */
export function validateBackgroundOptions(options: BackgroundOptions, request?: string): void {
  optionalMs(options.timeout, 'timeout', request);
  optionalMs(options.jobTimeout, 'jobTimeout', request);
  if (optionalMs(options.heartbeatTimeout, 'heartbeatTimeout', request) === 0) {
    throw new InvalidOptionError('heartbeatTimeout', 'must be longer than 0', { request });
  }
  if (options.lane !== undefined && !LANES.includes(options.lane)) {
    throw new InvalidOptionError(
      'lane',
      `unsupported lane ${JSON.stringify(options.lane)}; supported lanes are: ${LANES.join(', ')}`,
      { request },
    );
  }
  if (options.laneFallback !== undefined && !FALLBACKS.includes(options.laneFallback)) {
    throw new InvalidOptionError(
      'laneFallback',
      `unsupported value ${JSON.stringify(options.laneFallback)}; supported values are: ${FALLBACKS.join(', ')}`,
      { request },
    );
  }
  if (options.queue !== undefined && (typeof options.queue !== 'string' || options.queue.trim() === '')) {
    throw new InvalidOptionError('queue', 'must be a non-empty string', { request });
  }
  const retry = options.retry;
  if (retry) {
    optionalMs(retry.initialInterval, 'retry.initialInterval', request);
    optionalMs(retry.maximumInterval, 'retry.maximumInterval', request);
    if (
      retry.maximumAttempts !== undefined &&
      (!Number.isInteger(retry.maximumAttempts) || retry.maximumAttempts < 0)
    ) {
      throw new InvalidOptionError('retry.maximumAttempts', 'must be an integer >= 0 (0 = unlimited)', {
        request,
      });
    }
    if (retry.backoffCoefficient !== undefined && !(retry.backoffCoefficient >= 1)) {
      throw new InvalidOptionError('retry.backoffCoefficient', 'must be a number >= 1', { request });
    }
  }
}

function define<K extends RequestKind, T extends { name: string; input: unknown; output?: unknown }>(
  kind: K,
  init: T,
) {
  assertValidName(init.name, 'Request name');
  if (!isSchema(init.input))
    throw new InvalidOptionError('input', 'must be a zod schema', { request: init.name });
  if (kind !== 'notification' && !isSchema(init.output)) {
    throw new InvalidOptionError('output', 'must be a zod schema', { request: init.name });
  }
  validateBackgroundOptions(init as BackgroundOptions, init.name);
  validateVersions(init);
  return Object.freeze({ ...init, kind });
}

/**
 * Defines a command: a request that changes state, with exactly one handler and a typed result.
 *
 * @example
 * export const CreateUser = defineCommand({
 *   name: 'CreateUser',
 *   input: z.object({ email: z.string().email() }),
 *   output: z.object({ userId: z.string() }),
 *   queue: 'critical',
 *   retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
 *   timeout: '30s',
 * });
 */
export function defineCommand<
  const Name extends string,
  In extends z.ZodType,
  Out extends z.ZodType,
  P extends PreviousInputs = Record<never, never>,
>(init: RequestDefinitionInit<Name, In, Out, P>): CommandDefinition<Name, In, Out> {
  return define('command', init);
}

/** Defines a query: a request that reads state, with exactly one handler and a typed result. */
export function defineQuery<
  const Name extends string,
  In extends z.ZodType,
  Out extends z.ZodType,
  P extends PreviousInputs = Record<never, never>,
>(init: RequestDefinitionInit<Name, In, Out, P>): QueryDefinition<Name, In, Out> {
  return define('query', init);
}

/**
 * Defines a notification: an event with any number of named handlers and no result.
 *
 * @example
 * export const UserCreated = defineNotification({ name: 'UserCreated', input: z.object({ userId: z.string() }) });
 */
export function defineNotification<
  const Name extends string,
  In extends z.ZodType,
  P extends PreviousInputs = Record<never, never>,
>(init: NotificationDefinitionInit<Name, In, P>): NotificationDefinition<Name, In> {
  return define('notification', init);
}
