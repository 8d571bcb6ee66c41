import type { Client } from '@temporalio/client';
import type {
  AnyDefinition,
  InputOf,
  NotificationDefinition,
  OutputOf,
  RequestDefinition,
} from '../contracts/definitions.js';
import { withEncryption } from '../security/codec.js';
import { connectClient } from './connection.js';
import type { EnqueueOptions, JobOptions, JobPlan, ScheduleOptions } from '../dispatch/plan.js';
import type { PublishResult } from '../dispatch/envelope.js';
import { InvalidOptionError, NotConfiguredError, toError } from '../core/errors.js';
import { expectKind } from '../contracts/kinds.js';
import { parseInput } from '../contracts/execute.js';
import type { PublishOptions, SendOptions } from '../dispatch/in-process.js';
import { publishInProcess, requireHandlers, sendDirect, sendInProcess } from '../dispatch/in-process.js';
import type { JobHandle } from '../jobs/handle.js';
import { findJobHandle } from './lanes/find.js';
import { startOnLane } from './lanes/start.js';
import type { MediatorOptions, ResolvedMediatorOptions } from '../dispatch/options.js';
import { defaultMediatorOptions } from '../dispatch/options.js';
import { telemetryClientInterceptors } from '../observability/telemetry.js';
import type { DispatchContext, DispatchMode, Metadata } from '../contracts/pipeline.js';
import { composeDispatch } from '../contracts/pipeline.js';
import type { Handlers } from '../contracts/registry.js';
import type { QueueStats } from './queues.js';
import { describeQueues } from './queues.js';
import type { RecurringOptions } from '../recurring/options.js';
import type { RecurringHandle, RecurringSummary } from '../recurring/handle.js';
import { createRecurringHandle, listSchedules } from '../recurring/handle.js';
import type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from '../recurring/sync.js';
import { addOrUpdateRecurring, syncRecurring } from '../recurring/sync.js';
import type { InMemoryMediator } from '../in-memory/mediator.js';
import { createInMemoryMediator } from '../in-memory/mediator.js';
import type { InMemoryModeOptions } from '../in-memory/options.js';
import { isInMemoryMode } from '../in-memory/options.js';
import type { JobOperationsApi } from '../jobs/operations.js';
import { temporalJobOperations } from '../jobs/operations.js';
import type { BatchOperationStatus } from '../jobs/bulk.js';
import { describeBatchOperation } from '../jobs/bulk.js';
import type { QueueHandle } from './queue-control.js';
import { createQueueHandle } from './queue-control.js';

import type { MediatorApi } from '../api/mediator-api.js';

/**
 * The facade application code talks to: in-process `send`/`publish` and durable background jobs on
 * Temporal. Create it with {@link createMediator}.
 */
export class Mediator implements MediatorApi {
  /** The Temporal client, when the mediator has one. */
  readonly client: Client | undefined;
  readonly #handlers: Handlers | undefined;
  readonly #resolved: ResolvedMediatorOptions;
  readonly #ownsConnection: boolean;
  /** {@inheritDoc JobOperationsApi.jobs} */
  readonly jobs: JobOperationsApi['jobs'];
  /** {@inheritDoc JobOperationsApi.countJobs} */
  readonly countJobs: JobOperationsApi['countJobs'];
  /** {@inheritDoc JobOperationsApi.retryJobs} */
  readonly retryJobs: JobOperationsApi['retryJobs'];
  /** {@inheritDoc JobOperationsApi.cancelJobs} */
  readonly cancelJobs: JobOperationsApi['cancelJobs'];

  /** @internal use {@link createMediator} */
  constructor(options: {
    client: Client | undefined;
    ownsConnection: boolean;
    handlers: Handlers | undefined;
    resolved: ResolvedMediatorOptions;
  }) {
    this.client = options.client;
    this.#handlers = options.handlers;
    this.#resolved = options.resolved;
    this.#ownsConnection = options.ownsConnection;
    const ops = temporalJobOperations(() => this.#requireClient(undefined));
    ({
      jobs: this.jobs,
      countJobs: this.countJobs,
      retryJobs: this.retryJobs,
      cancelJobs: this.cancelJobs,
    } = ops);
  }

  /** Runs a command's or query's handler in process and returns its typed, validated result. */
  send<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: SendOptions,
  ): Promise<OutputOf<D>> {
    try {
      const handlers = requireHandlers(this.#handlers, definition.name);
      expectKind(definition, 'send');
      const resolved = this.#resolved;
      const metadata = options?.metadata ? { ...options.metadata } : {};
      if (resolved.behaviors.length === 0) {
        return sendDirect(handlers, definition, input, {
          resolved,
          metadata,
          signal: options?.signal,
        }) as Promise<OutputOf<D>>;
      }
      return this.#sendWithBehaviors(handlers, definition, input, {
        metadata,
        signal: options?.signal,
      }) as Promise<OutputOf<D>>;
    } catch (err) {
      return Promise.reject(toError(err));
    }
  }

  async #sendWithBehaviors(
    handlers: Handlers,
    definition: RequestDefinition,
    input: unknown,
    call: { metadata: Metadata; signal: AbortSignal | undefined },
  ): Promise<unknown> {
    const { metadata, signal } = call;
    const resolved = this.#resolved;
    const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
    return composeDispatch(
      resolved.behaviors,
      this.#dispatchContext('send', definition, parsed, { metadata }),
      (ctx) => sendInProcess(handlers, definition, ctx.input, { resolved, metadata: ctx.metadata, signal }),
    );
  }

  /** Runs every handler of a notification in process (see `publishStrategy`); throws `AggregateHandlerError` if any failed. */
  async publish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options: PublishOptions = {},
  ): Promise<void> {
    const handlers = requireHandlers(this.#handlers, definition.name);
    expectKind(definition, 'publish');
    const resolved = this.#resolved;
    const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
    const strategy = options.strategy ?? resolved.publishStrategy;
    await composeDispatch(
      resolved.behaviors,
      this.#dispatchContext('publish', definition, parsed, { metadata: { ...options.metadata } }),
      (ctx) =>
        publishInProcess(handlers, definition, ctx.input, {
          resolved,
          metadata: ctx.metadata,
          signal: options.signal,
          strategy,
        }),
    );
  }

  /** Starts a durable background job and returns once the server accepted it. */
  enqueue<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<JobHandle<OutputOf<D>>> {
    return this.#start('enqueue', definition, input, options) as Promise<JobHandle<OutputOf<D>>>;
  }

  /** Starts a durable background job and waits for its typed result (from the worker that ran it). */
  async enqueueAsync<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<OutputOf<D>> {
    const result = await this.#start('enqueueAsync', definition, input, {
      ...options,
      then: (job) => job.result(),
    });
    return result as OutputOf<D>;
  }

  /** Durable fan-out: one activity per handler of the notification, each with its own retries. */
  enqueuePublish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options: EnqueueOptions = {},
  ): Promise<JobHandle<PublishResult>> {
    return this.#start('enqueuePublish', definition, input, options) as Promise<JobHandle<PublishResult>>;
  }

  /** Starts a durable job later: `{ delay: '24h' }` or `{ at: date }`. Cancel it with `job.cancel()` before it starts. */
  async schedule<D extends AnyDefinition>(
    definition: D,
    input: InputOf<D>,
    options: ScheduleOptions,
  ): Promise<JobHandle<D extends RequestDefinition ? OutputOf<D> : PublishResult>> {
    if (options?.delay === undefined && options?.at === undefined) {
      throw new InvalidOptionError('delay', 'schedule needs { delay } or { at }; use enqueue to start now', {
        request: definition.name,
      });
    }
    return this.#start('schedule', definition, input, options) as Promise<
      JobHandle<D extends RequestDefinition ? OutputOf<D> : PublishResult>
    >;
  }

  /**
   * Creates or updates, by id, a recurring job: a Temporal Schedule that starts the same
   * `executeRequest` workflow with the same envelope as `enqueue`, on the request's queue. Idempotent
   * (Hangfire's `AddOrUpdate`): an unchanged job is left alone, a changed one is updated in place and
   * keeps its paused state. Each run's job id is `${request}-${id}-<scheduled time>`.
   *
   * @example
   * await mediator.addOrUpdate('daily-cleanup', Cleanup, {}, { cron: '0 2 * * *', timezone: 'Europe/Paris' });
   */
  async addOrUpdate<D extends AnyDefinition>(
    id: string,
    definition: D,
    input: InputOf<D>,
    options: RecurringOptions,
  ): Promise<RecurringHandle> {
    const client = this.#requireClient(definition?.name);
    return (await addOrUpdateRecurring(client, this.#resolved, { id, definition, input, options })).handle;
  }

  /** A handle to a recurring job (schedule) by id: describe, trigger, pause, resume, remove, backfill. */
  recurring(id: string): RecurringHandle {
    return createRecurringHandle(this.#requireClient(undefined), id);
  }

  /** Every schedule on the namespace, with the mediator-made ones marked (`mediatorOwned`, `owner`). */
  listRecurring(): AsyncIterable<RecurringSummary> {
    return listSchedules(this.#requireClient(undefined));
  }

  /**
   * Reconciles declared recurring jobs with the server for one owner: creates, updates and removes
   * that owner's schedules; never touches others', nor those made by `addOrUpdate` without an owner.
   * The owner is required. `{ dryRun: true }` returns the diff only.
   *
   * @example
   * const diff = await mediator.syncRecurring([defineRecurring({ id: 'daily-cleanup', definition: Cleanup, input: {}, options: { cron: '0 2 * * *' } })], { owner: 'billing' });
   */
  syncRecurring(declared: RecurringDeclaration[], options: SyncRecurringOptions): Promise<RecurringDiff> {
    return syncRecurring(this.#requireClient(undefined), this.#resolved, declared, options);
  }

  /** A handle to an existing job, from any process. Pass the definition for a typed result. */
  job(id: string): JobHandle;
  job<D extends RequestDefinition>(definition: D, id: string): JobHandle<OutputOf<D>>;
  job(a: string | RequestDefinition, b?: string): JobHandle {
    const client = this.#requireClient(typeof a === 'string' ? undefined : a.name);
    return typeof a === 'string' ? findJobHandle(client, a) : findJobHandle(client, b ?? '', a.name);
  }

  /**
   * Per task queue: the workers polling it and the backlog of waiting jobs, from Temporal's
   * task-queue description (Temporal cannot list queues, so name them).
   */
  queues(names: string[]): Promise<QueueStats[]> {
    return describeQueues(this.#requireClient(undefined), names);
  }

  /** A task queue's stats and server-side limits: rate limit, fairness-key rate limit and weights. */
  queue(name: string): QueueHandle {
    return createQueueHandle(this.#requireClient(undefined), name);
  }

  /** The state and counts of a batch operation (`cancelJobs`' `operationId`). */
  batchOperation(operationId: string): Promise<BatchOperationStatus> {
    return describeBatchOperation(this.#requireClient(undefined), operationId);
  }

  /** Closes the connection if the mediator opened it. */
  async close(): Promise<void> {
    if (this.#ownsConnection && this.client) await this.client.connection.close();
  }

  async #start(
    mode: DispatchMode,
    definition: AnyDefinition,
    input: unknown,
    options: JobOptions & { then?: (job: JobHandle) => Promise<unknown> },
  ): Promise<unknown> {
    const { then, ...callOptions } = options;
    if (mode === 'enqueuePublish') expectKind(definition, 'enqueuePublish');
    else if (mode !== 'schedule') expectKind(definition, mode);
    const client = this.#requireClient(definition.name);
    const resolved = this.#resolved;
    const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
    const metadata = { ...callOptions.metadata };
    const last = async (ctx: DispatchContext) => {
      const plan: JobPlan = {
        mode,
        definition,
        input: ctx.input,
        metadata: ctx.metadata,
        options: { ...callOptions, ...ctx.options },
      };
      const job = await startOnLane(client, plan, resolved);
      return then ? then(job) : job;
    };
    if (resolved.behaviors.length === 0) {
      return last({
        request: definition.name,
        kind: definition.kind,
        mode,
        input: parsed,
        metadata,
        options: {},
      });
    }
    const view = { jobId: callOptions.jobId, queue: callOptions.queue, description: callOptions.description };
    return composeDispatch(
      resolved.behaviors,
      this.#dispatchContext(mode, definition, parsed, { metadata, options: view }),
      last,
    );
  }

  #dispatchContext(
    mode: DispatchMode,
    definition: AnyDefinition,
    input: unknown,
    extra: { metadata: Metadata; options?: DispatchContext['options'] },
  ): DispatchContext {
    return {
      request: definition.name,
      kind: definition.kind,
      mode,
      input,
      metadata: extra.metadata,
      options: extra.options ?? {},
    };
  }

  #requireClient(request: string | undefined): Client {
    if (this.client) return this.client;
    throw new NotConfiguredError(
      `${request ? `${request}: ` : ''}this mediator has no Temporal connection; pass { connection } or { client } to createMediator for background jobs`,
      { request },
    );
  }
}

/**
 * Creates a mediator. With `connection` (or an existing `client`) it dispatches durable jobs on
 * Temporal; with `handlers` it runs `send`/`publish` in process. Without handlers it is API-only.
 * With `{ inMemory: true }` it returns an `InMemoryMediator` (same interface, this process only,
 * not durable; see `createInMemoryMediator`).
 *
 * @example
 * const mediator = await createMediator({ connection: { address: 'localhost:7233' }, handlers });
 * const { userId } = await mediator.enqueueAsync(CreateUser, { email: 'a@b.c', name: 'Ada' });
 */
export function createMediator(options: InMemoryModeOptions): Promise<InMemoryMediator>;
export function createMediator(options?: MediatorOptions): Promise<Mediator>;
export async function createMediator(
  options: MediatorOptions | InMemoryModeOptions = {},
): Promise<Mediator | InMemoryMediator> {
  // In-memory mode (not durable): the same interface, run in this process; see createInMemoryMediator.
  if (isInMemoryMode(options)) return createInMemoryMediator(options);
  const resolved = defaultMediatorOptions(options);
  let client = options.client;
  let ownsConnection = false;
  if (options.client && options.telemetry) {
    throw new InvalidOptionError(
      'telemetry',
      'an existing client keeps its own interceptors; create it with { interceptors: await telemetryClientInterceptors(telemetry) }',
    );
  }
  if (options.client && options.encryption) {
    throw new InvalidOptionError(
      'encryption',
      'an existing client keeps its own data converter; create it with { dataConverter: encryptionDataConverter(encryption) }',
    );
  }
  if (!client && options.connection) {
    const dataConverter = withEncryption(options.dataConverter, options.encryption);
    const interceptors = options.telemetry
      ? await telemetryClientInterceptors(options.telemetry, resolved.logger)
      : undefined;
    client = await connectClient(options.connection, resolved.namespace, {
      ...(dataConverter ? { dataConverter } : {}),
      ...(interceptors ? { interceptors } : {}),
    });
    ownsConnection = true;
  }
  return new Mediator({ client, ownsConnection, handlers: options.handlers, resolved });
}
