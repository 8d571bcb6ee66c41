import type { Client } from '@temporalio/client';
import type { AnyDefinition, InputOf, OutputOf, RequestDefinition } from '../contracts/definitions.js';
import type { JobPlan } from '../dispatch/plan.js';
import { NotConfiguredError } from '../core/errors.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import type { JobHandle } from '../jobs/handle.js';
import { findJobHandle } from './lanes/find.js';
import { startOnLane } from './lanes/start.js';
import type { ResolvedMediatorOptions } from '../dispatch/options.js';
import type { Handlers } from '../contracts/registry.js';
import type { QueueStats } from './queues.js';
import { describeQueues } from './queues.js';
import type { RecurringOptions } from '../recurring/options.js';
import type { RecurringHandle, RecurringSummary } from '../recurring/handle.js';
import { createRecurringHandle, listSchedules } from '../recurring/handle.js';
import type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from '../recurring/sync.js';
import { addOrUpdateRecurring, syncRecurring } from '../recurring/sync.js';
import type { JobOperationsApi } from '../jobs/operations.js';
import { temporalJobOperations } from '../jobs/operations.js';
import type { BatchOperationStatus } from '../jobs/bulk.js';
import { describeBatchOperation } from '../jobs/bulk.js';
import type { QueueHandle } from './queue-control.js';
import { createQueueHandle } from './queue-control.js';

import type { MediatorApi } from '../api/mediator-api.js';

/**
 * The facade application code talks to: in-process `send`/`publish` and durable background jobs on
 * Temporal. Create it with `createMediator`.
 */
export class Mediator extends Dispatcher implements MediatorApi {
  /** The Temporal client, when the mediator has one. */
  readonly client: Client | undefined;
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

  /** @internal use `createMediator` */
  constructor(options: {
    client: Client | undefined;
    ownsConnection: boolean;
    handlers: Handlers | undefined;
    resolved: ResolvedMediatorOptions;
  }) {
    super({ resolved: options.resolved, handlers: options.handlers });
    this.client = options.client;
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

  /** @internal */
  protected assertCanStart(request: string): void {
    this.#requireClient(request);
  }

  /** @internal */
  protected startPlanned(plan: JobPlan): Promise<JobHandle> {
    return startOnLane(this.#requireClient(plan.definition.name), plan, this.#resolved);
  }

  #requireClient(request: string | undefined): Client {
    if (this.client) return this.client;
    throw new NotConfiguredError(
      `${request ? `${request}: ` : ''}this mediator has no Temporal connection; pass { connection } or { client } to createMediator for background jobs`,
      { request },
    );
  }
}
