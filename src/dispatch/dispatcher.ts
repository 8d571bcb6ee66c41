/**
 * The dispatch methods both mediators share (`send`, `publish`, `enqueue`, `enqueueAsync`,
 * `enqueuePublish`, `schedule`), over the dispatch core. A backend extends it and implements only
 * where a job starts and whether it can start one.
 */
import type {
  AnyDefinition,
  InputOf,
  NotificationDefinition,
  OutputOf,
  RequestDefinition,
} from '../contracts/definitions.js';
import type { DispatchMode } from '../contracts/pipeline.js';
import type { JobHandle } from '../jobs/handle.js';
import type { DispatchBackend, JobCall } from './core.js';
import { dispatchJob, dispatchPublish, dispatchSend } from './core.js';
import type { PublishResult } from './envelope.js';
import type { PublishOptions, SendOptions } from './in-process.js';
import type { EnqueueOptions, JobPlan, ScheduleOptions } from './plan.js';

/** What `schedule` returns: a typed job handle for a request, a fan-out result for a notification. */
export type ScheduledJob<D extends AnyDefinition> = JobHandle<
  D extends RequestDefinition ? OutputOf<D> : PublishResult
>;

/** @internal The base of `Mediator` and `InMemoryMediator`. */
export abstract class Dispatcher {
  readonly #backend: DispatchBackend;
  readonly #starter = {
    ready: (request: string) => this.assertCanStart(request),
    start: (plan: JobPlan) => this.startPlanned(plan),
  };

  protected constructor(backend: DispatchBackend) {
    this.#backend = backend;
  }

  /** @internal Throws when this mediator cannot start jobs (no client, closed). */
  protected abstract assertCanStart(request: string): void;
  /** @internal Starts a planned job where this backend runs jobs. */
  protected abstract startPlanned(plan: JobPlan): Promise<JobHandle> | JobHandle;

  /** Runs a command's or query's handler in process and returns its typed, validated result. */
  send<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: SendOptions,
  ): Promise<OutputOf<D>> {
    return dispatchSend(this.#backend, definition, input, options) as Promise<OutputOf<D>>;
  }

  /**
   * Runs every handler of a notification in process (see `publishStrategy`); rejects with
   * `AggregateHandlerError` if any failed.
   */
  publish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options: PublishOptions = {},
  ): Promise<void> {
    return dispatchPublish(this.#backend, definition, input, options);
  }

  /** Starts a background job and returns its handle once the backend accepted it. */
  enqueue<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<JobHandle<OutputOf<D>>> {
    return this.#start('enqueue', definition, input, options) as Promise<JobHandle<OutputOf<D>>>;
  }

  /** Starts a background job and waits for its typed result (from the worker that ran it). */
  enqueueAsync<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<OutputOf<D>> {
    const then = (job: JobHandle) => job.result();
    return this.#start('enqueueAsync', definition, input, { ...options, then }) as Promise<OutputOf<D>>;
  }

  /** Background fan-out: one activity per handler of the notification, each with its own retries. */
  enqueuePublish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<JobHandle<PublishResult>> {
    return this.#start('enqueuePublish', definition, input, options) as Promise<JobHandle<PublishResult>>;
  }

  /**
   * Starts a job later: `{ delay: '24h' }` or `{ at: date }` (on the in-memory mediator, on its
   * clock). Cancel it with `job.cancel()` before it starts.
   */
  schedule<D extends AnyDefinition>(
    definition: D,
    input: InputOf<D>,
    options: ScheduleOptions,
  ): Promise<ScheduledJob<D>> {
    return this.#start('schedule', definition, input, options) as Promise<ScheduledJob<D>>;
  }

  #start(mode: DispatchMode, definition: AnyDefinition, input: unknown, options: JobCall): Promise<unknown> {
    return dispatchJob(this.#backend, this.#starter, { mode, definition, input, options });
  }
}
