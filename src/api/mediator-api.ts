/**
 * The API both backends implement (`Mediator` on Temporal, `InMemoryMediator` in this process), in a
 * module of its own so the two implementations do not import each other.
 */
import type {
  AnyDefinition,
  InputOf,
  NotificationDefinition,
  OutputOf,
  RequestDefinition,
} from '../contracts/definitions.js';
import type { EnqueueOptions, ScheduleOptions } from '../dispatch/plan.js';
import type { PublishResult } from '../dispatch/envelope.js';
import type { PublishOptions, SendOptions } from '../dispatch/in-process.js';
import type { JobOperationsApi } from '../jobs/operations.js';
import type { JobHandle } from '../jobs/handle.js';
import type { RecurringOptions } from '../recurring/options.js';
import type { RecurringHandle, RecurringSummary } from '../recurring/handle.js';
import type { RecurringDeclaration, RecurringDiff, SyncRecurringOptions } from '../recurring/sync.js';

/**
 * What application code uses of a mediator, whichever backend runs the jobs: {@link Mediator}
 * (Temporal, durable) and `InMemoryMediator` (this process, not durable) both implement it. Type
 * services against it to swap the backend in tests. Backend-specific extras (`queues()`, `client`,
 * the in-memory `clock`) are on the classes only.
 */
export interface MediatorApi extends JobOperationsApi {
  /** Runs a command's or query's handler in process and returns its typed, validated result. */
  send<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: SendOptions,
  ): Promise<OutputOf<D>>;
  /** Runs every handler of a notification in process; throws `AggregateHandlerError` if any failed. */
  publish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: PublishOptions,
  ): Promise<void>;
  /** Starts a background job and returns its handle once accepted. */
  enqueue<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: EnqueueOptions,
  ): Promise<JobHandle<OutputOf<D>>>;
  /** Starts a background job and waits for its typed result. */
  enqueueAsync<D extends RequestDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: EnqueueOptions,
  ): Promise<OutputOf<D>>;
  /** Background fan-out: one activity per handler of the notification, each with its own retries. */
  enqueuePublish<D extends NotificationDefinition>(
    definition: D,
    input: InputOf<D>,
    options?: EnqueueOptions,
  ): Promise<JobHandle<PublishResult>>;
  /** Starts a background job later: `{ delay }` or `{ at }`. */
  schedule<D extends AnyDefinition>(
    definition: D,
    input: InputOf<D>,
    options: ScheduleOptions,
  ): Promise<JobHandle<D extends RequestDefinition ? OutputOf<D> : PublishResult>>;
  /** Creates or updates a recurring job by id. */
  addOrUpdate<D extends AnyDefinition>(
    id: string,
    definition: D,
    input: InputOf<D>,
    options: RecurringOptions,
  ): Promise<RecurringHandle>;
  /** A handle to a recurring job by id. */
  recurring(id: string): RecurringHandle;
  /** The recurring jobs. */
  listRecurring(): AsyncIterable<RecurringSummary>;
  /** Reconciles declared recurring jobs for one owner (required). */
  syncRecurring(declared: RecurringDeclaration[], options: SyncRecurringOptions): Promise<RecurringDiff>;
  /** A handle to a job by id; pass the definition for a typed result. */
  job(id: string): JobHandle;
  job<D extends RequestDefinition>(definition: D, id: string): JobHandle<OutputOf<D>>;
  /** Releases what the mediator holds. */
  close(): Promise<void>;
}
