import type { AnyDefinition, BackgroundOptions } from '../contracts/definitions.js';
import { validateBackgroundOptions } from '../contracts/definitions.js';
import type { Duration } from '../core/durations.js';
import { optionalMs } from '../core/durations.js';
import type { Envelope } from './envelope.js';
import { InvalidOptionError, PayloadError, errorMessage } from '../core/errors.js';
import type { JobIdReuse } from '../jobs/ids.js';
import type { ResolvedMediatorOptions } from './options.js';
import type { DispatchMode, Metadata } from '../contracts/pipeline.js';
import { contractVersion } from '../contracts/versions.js';
import type { PriorityOptions } from './priority.js';
import { resolveLane } from './lane.js';

/** Per-call options of `enqueue`, `enqueueAsync` and `enqueuePublish`; each overrides the request's default. */
export interface EnqueueOptions extends BackgroundOptions, PriorityOptions {
  /**
   * Job id, and idempotency key: a second enqueue with the same id runs nothing new and returns the
   * same job (and result), as long as the server keeps the first (namespace retention); see
   * `jobIdReuse` to run a failed one again. An id taken by a job of another request is refused with
   * `JobIdConflictError`.
   * @default `${request}-${uuidv7}` (time-ordered; `uuidv7()` is exported to build ids the same way)
   */
  jobId?: string;
  /**
   * What enqueueing an id that already has a closed job does: `'return-existing'` (that job and its
   * result), `'rerun-if-failed'` (run again if it failed, was cancelled, terminated or timed out),
   * `'rerun-always'`. A running job is returned in every case. Temporal's workflow id reuse policy
   * (`REJECT_DUPLICATE`, `ALLOW_DUPLICATE_FAILED_ONLY`, `ALLOW_DUPLICATE`).
   * @default 'return-existing'
   */
  jobIdReuse?: JobIdReuse;
  /** Temporal priority key, 1 (highest) to 5 (lowest). @default the server's default (3) */
  priority?: number;
  /** Metadata added to the envelope (dispatch behaviors may add more). @default {} */
  metadata?: Metadata;
}

/** Options of `schedule`: one of `delay` or `at`, plus everything {@link EnqueueOptions} takes. */
/** When a scheduled job starts: after a delay or at a time, exactly one (a compile error otherwise). */
export type ScheduleWhen =
  | {
      /** Start after this long. */
      delay: Duration;
      at?: never;
    }
  | {
      /** Start at this time; a time in the past starts at once. */
      at: Date;
      delay?: never;
    };

/** Per-call options of `schedule`: {@link EnqueueOptions} plus `delay` or `at`. */
export type ScheduleOptions = EnqueueOptions & ScheduleWhen;

/** The options of any background start, as dispatch and records see them (`delay`/`at` only from `schedule`). */
export interface JobOptions extends EnqueueOptions {
  /** Start after this long (`schedule({ delay })`). */
  delay?: Duration;
  /** Start at this time (`schedule({ at })`). */
  at?: Date;
}

/** Everything needed to start one job. */
export interface JobPlan {
  mode: DispatchMode;
  definition: AnyDefinition;
  input: unknown;
  metadata: Metadata;
  options: JobOptions;
}

/** The start delay of `{ delay }` or `{ at }`, in ms; `now` is the backend's clock (@default Date.now()). */
export function startDelayMs(
  definition: AnyDefinition,
  options: JobOptions,
  now: number = Date.now(),
): number | undefined {
  if (options.delay !== undefined && options.at !== undefined) {
    throw new InvalidOptionError('delay', "give either 'delay' or 'at', not both", {
      request: definition.name,
    });
  }
  if (options.at !== undefined) {
    if (!(options.at instanceof Date) || Number.isNaN(options.at.getTime())) {
      throw new InvalidOptionError('at', 'must be a valid Date', { request: definition.name });
    }
    return Math.max(0, options.at.getTime() - now);
  }
  return optionalMs(options.delay, 'delay', definition.name);
}

/** Builds the envelope for a plan, merging call options over the request's and the mediator's defaults. */
export function buildEnvelope(
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): { envelope: Envelope; queue: string; description: string } {
  const { definition: def, options } = plan;
  const defaults = resolved.defaults;
  validateBackgroundOptions(options, def.name);
  const queue = options.queue ?? def.queue ?? defaults.queue;
  const description = options.description ?? def.description ?? def.name;
  const retry = { ...defaults.retry, ...def.retry, ...options.retry };
  const timeout = options.timeout ?? def.timeout ?? defaults.timeout;
  const heartbeatTimeout = options.heartbeatTimeout ?? def.heartbeatTimeout ?? defaults.heartbeatTimeout;
  const local = resolveLane(def, options, defaults) === 'fast';
  const version = contractVersion(def);
  const envelope: Envelope = {
    // The oldest envelope version that carries it: workers of every release read a v1 envelope.
    v: version > 1 ? 2 : 1,
    request: def.name,
    kind: def.kind,
    input: plan.input,
    ...(version > 1 ? { version } : {}),
    description,
    metadata: plan.metadata,
    activity: {
      ...(local ? { local: true } : {}),
      timeoutMs: optionalMs(timeout, 'timeout', def.name),
      // Absent: the workflow's default (10 s), so envelopes of jobs that do not set it stay as they were.
      ...(heartbeatTimeout === undefined
        ? {}
        : { heartbeatTimeoutMs: optionalMs(heartbeatTimeout, 'heartbeatTimeout', def.name) }),
      retry: {
        maximumAttempts: retry.maximumAttempts,
        initialIntervalMs: optionalMs(retry.initialInterval, 'retry.initialInterval', def.name),
        backoffCoefficient: retry.backoffCoefficient,
        maximumIntervalMs: optionalMs(retry.maximumInterval, 'retry.maximumInterval', def.name),
        nonRetryableErrorTypes: retry.nonRetryableErrorTypes,
      },
    },
  };
  return { envelope, queue, description };
}

/** Refuses envelopes that cannot be serialised or exceed the size limit, before anything starts. */
export function checkPayload(envelope: Envelope, maxBytes: number): void {
  let json: string | undefined;
  try {
    json = JSON.stringify(envelope);
  } catch (err) {
    throw new PayloadError(envelope.request, `input is not serialisable to JSON: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  // Byte length only matters near the limit; string length is a lower bound of the UTF-8 size.
  const size = json.length * 3 > maxBytes ? Buffer.byteLength(json) : json.length;
  if (size > maxBytes) {
    throw new PayloadError(
      envelope.request,
      `payload is ${size} bytes, over the ${maxBytes}-byte limit (maxPayloadBytes); pass a reference (e.g. a storage key) instead`,
      {
        size,
        limit: maxBytes,
      },
    );
  }
}
