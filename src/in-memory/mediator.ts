/**
 * The in-memory mediator: the {@link MediatorApi} of the Temporal mediator, executed in this process
 * with the same validation, behaviors, envelope, retry policy, timeouts, idempotent job ids and
 * errors — and a clock that tests can move. Not durable.
 */
import type { AnyDefinition, InputOf, OutputOf, RequestDefinition } from '../contracts/definitions.js';
import type { JobPlan } from '../dispatch/plan.js';
import { InvalidOptionError, NotConfiguredError } from '../core/errors.js';
import type { JobHandle } from '../jobs/handle.js';
import type { MediatorApi } from '../api/mediator-api.js';
import type { DispatchRecordInit } from '../dispatch/core.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import type { RecurringOptions } from '../recurring/options.js';
import { planSchedule } from '../recurring/options.js';
import type { RecurringHandle, RecurringSummary } from '../recurring/handle.js';
import type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from '../recurring/sync.js';
import type { Clock } from './clock.js';
import { createInMemoryJobHandle } from './job-handle.js';
import type { InMemoryMediatorOptions, ResolvedInMemoryOptions } from './options.js';
import { defaultInMemoryOptions } from './options.js';
import type { DispatchRecord } from './records.js';
import { InMemorySchedules } from './schedules.js';
import { syncInMemory } from './sync.js';
import { JobStore } from './store.js';
import type { JobOperationsApi } from '../jobs/operations.js';
import { inMemoryJobOperations } from './job-operations.js';

const RECORDS_OFF =
  'this in-memory mediator keeps no dispatch records (0 is the default outside createTestHarness); ' +
  'create it with maxRecords (e.g. createInMemoryMediator({ handlers, maxRecords: 10_000 })) or use createTestHarness';

/**
 * A mediator that runs everything in this process: `send`/`publish` as usual, and background jobs
 * (`enqueue`, `enqueueAsync`, `enqueuePublish`, `schedule`, recurring jobs) as in-memory jobs with
 * the Temporal path's semantics — caller and worker validation, dispatch and handle behaviors,
 * retries with exponential backoff, attempt and job timeouts, idempotent `jobId`, cancellation that
 * reaches `ctx.signal`, the job console, and the same error classes.
 *
 * **Not durable**: jobs, results and schedules live in this object and are lost when the process
 * stops; `job(id)` sees only this mediator's jobs; nothing is shared between processes. Use it for
 * tests and for a single instance that can afford to lose work; use `createMediator` with a
 * connection for anything else. Create it with {@link createInMemoryMediator}.
 */
export class InMemoryMediator extends Dispatcher implements MediatorApi {
  /** The clock jobs, retries and recurring runs use. */
  readonly clock: Clock;
  readonly #options: ResolvedInMemoryOptions;
  readonly #store: JobStore;
  readonly #schedules: InMemorySchedules;
  #closed = false;
  /** {@inheritDoc JobOperationsApi.jobs} */
  readonly jobs: JobOperationsApi['jobs'];
  /** {@inheritDoc JobOperationsApi.countJobs} */
  readonly countJobs: JobOperationsApi['countJobs'];
  /** {@inheritDoc JobOperationsApi.retryJobs} */
  readonly retryJobs: JobOperationsApi['retryJobs'];
  /** {@inheritDoc JobOperationsApi.cancelJobs} */
  readonly cancelJobs: JobOperationsApi['cancelJobs'];

  /** @internal use {@link createInMemoryMediator} */
  constructor(options: ResolvedInMemoryOptions) {
    const store = new JobStore(options);
    // No records kept (maxRecords: 0): no hook, so send pays nothing for them.
    const onDispatch = options.maxRecords === 0 ? undefined : (r: DispatchRecordInit) => store.record(r);
    super({ resolved: options.mediator, handlers: options.handlers, onDispatch });
    this.#options = options;
    this.clock = options.clock;
    this.#store = store;
    ({
      jobs: this.jobs,
      countJobs: this.countJobs,
      retryJobs: this.retryJobs,
      cancelJobs: this.cancelJobs,
    } = inMemoryJobOperations(this.#store));
    this.#schedules = new InMemorySchedules({
      clock: options.clock,
      logger: options.mediator.logger,
      startRun: (desired, jobId) => (this.#closed ? undefined : this.#store.startRun(desired, jobId)),
      jobStatus: (jobId) => this.#store.get(jobId)?.status(),
    });
  }

  /**
   * Creates or updates a recurring job by id, validated exactly like the Temporal path. `every`
   * intervals run on the clock; cron strings are kept but not evaluated here (trigger them).
   */
  async addOrUpdate<D extends AnyDefinition>(
    id: string,
    definition: D,
    input: InputOf<D>,
    options: RecurringOptions,
  ): Promise<RecurringHandle> {
    this.#open(definition?.name);
    const desired = await planSchedule({ id, definition, input, options, resolved: this.#options.mediator });
    this.#schedules.apply(desired, this.#schedules.decide(desired));
    return this.#schedules.handle(desired.id);
  }

  /** A handle to a recurring job by id. */
  recurring(id: string): RecurringHandle {
    return this.#schedules.handle(id);
  }

  /** This mediator's recurring jobs. */
  listRecurring(): AsyncIterable<RecurringSummary> {
    return this.#schedules.list();
  }

  /** Reconciles declared recurring jobs for one owner, as the Temporal path does. */
  async syncRecurring(
    declared: RecurringDeclaration[],
    options: SyncRecurringOptions,
  ): Promise<RecurringDiff> {
    this.#open(undefined);
    return syncInMemory(this.#schedules, this.#options.mediator, declared, options);
  }

  /** A handle to a job of this mediator. Pass the definition for a typed result. */
  job(id: string): JobHandle;
  job<D extends RequestDefinition>(definition: D, id: string): JobHandle<OutputOf<D>>;
  job(a: string | RequestDefinition, b?: string): JobHandle {
    return typeof a === 'string'
      ? createInMemoryJobHandle(this.#store, a)
      : createInMemoryJobHandle(this.#store, b ?? '', a.name);
  }

  /**
   * Everything dispatched so far, oldest first: `send`, `publish`, background jobs and recurring
   * runs, with the input and metadata after dispatch behaviors. Read by the testing kit's matchers.
   * Bounded: the last `maxRecords` are kept.
   *
   * @throws InvalidOptionError when the mediator keeps no records (`maxRecords` 0, the default
   * outside `createTestHarness`): an empty answer would make `not.toHaveEnqueued` pass unseen.
   */
  dispatched(): readonly DispatchRecord[] {
    if (this.#options.maxRecords === 0) throw new InvalidOptionError('maxRecords', RECORDS_OFF);
    return this.#store.records;
  }

  /** Forgets the dispatch records (jobs are kept). */
  clearDispatched(): void {
    this.#store.records.length = 0;
  }

  /** Resolves once no job is running (delayed jobs that have not started do not count). */
  whenIdle(): Promise<void> {
    return this.#store.whenIdle();
  }

  /** Stops the mediator: recurring jobs stop, open jobs are terminated (their handlers see the abort signal). */
  close(): Promise<void> {
    this.#closed = true;
    this.#schedules.close();
    this.#store.terminateAll('In-memory mediator closed');
    return Promise.resolve();
  }

  /** @internal */
  protected assertCanStart(request: string): void {
    this.#open(request);
  }

  /** @internal */
  protected startPlanned(plan: JobPlan): JobHandle {
    return this.#store.start(plan);
  }

  #open(request: string | undefined): void {
    if (this.#closed) {
      throw new NotConfiguredError(`${request ? `${request}: ` : ''}this in-memory mediator is closed`, {
        request,
      });
    }
  }
}

/**
 * Creates an {@link InMemoryMediator}: the mediator's interface without Temporal, for tests and
 * single-instance apps. **Not durable.** Also reachable as `createMediator({ inMemory: true, … })`.
 *
 * @example
 * const clock = createTestClock();
 * const mediator = createInMemoryMediator({ handlers, clock });
 * const job = await mediator.schedule(SendReminder, { userId: 'u1' }, { delay: '24h' });
 * await clock.advance('24h');
 * expect(await job.status()).toBe('completed');
 */
export function createInMemoryMediator(options: InMemoryMediatorOptions = {}): InMemoryMediator {
  return new InMemoryMediator(defaultInMemoryOptions(options));
}
