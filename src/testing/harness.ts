/**
 * The test harness: an in-memory mediator on a test clock, with the dispatches it saw and handler
 * stubs, for unit tests of handlers and of the code that enqueues.
 */
import type { AnyDefinition, ParsedInputOf } from '../contracts/definitions.js';
import type { Logger } from '../core/logger.js';
import type { Metadata } from '../contracts/pipeline.js';
import { createHandlers } from '../contracts/registry.js';
import type { JobOptions } from '../dispatch/plan.js';
import type { TestClock, TestClockOptions } from '../in-memory/clock.js';
import { createTestClock } from '../in-memory/clock.js';
import type { InMemoryMediator } from '../in-memory/mediator.js';
import { createInMemoryMediator } from '../in-memory/mediator.js';
import type { InMemoryMediatorOptions } from '../in-memory/options.js';
import type { DispatchRecord, DispatchRecordMode } from '../in-memory/records.js';
import type { StubTable } from './stubs.js';
import { HandlerStub, StubbedHandlers, stubKey } from './stubs.js';

/** One recorded dispatch of a known request, typed by its definition. */
export interface Dispatched<D extends AnyDefinition = AnyDefinition> {
  mode: DispatchRecordMode;
  /** The input after caller validation and dispatch behaviors (what the handler receives). */
  input: ParsedInputOf<D>;
  /** The job id (background dispatches and recurring runs). */
  jobId: string | undefined;
  metadata: Metadata;
  options: JobOptions;
  recurringId?: string;
  at: Date;
}

/** The modes `enqueued()` and `toHaveEnqueued` count: every way of starting a background job. */
export const BACKGROUND_MODES: readonly DispatchRecordMode[] = [
  'enqueue',
  'enqueueAsync',
  'enqueuePublish',
  'schedule',
];

/** The modes `published()` and `toHavePublished` count: a notification published now, as a job, or later. */
export const PUBLISH_MODES: readonly DispatchRecordMode[] = ['publish', 'enqueuePublish', 'schedule'];

/** Options of {@link createTestHarness}; as the in-memory mediator's, except `maxRecords` defaults to 10000. */
export interface TestHarnessOptions extends Omit<InMemoryMediatorOptions, 'clock'> {
  /** The clock; pass `createTestClock({ start })` to fix the start time. @default createTestClock() */
  clock?: TestClock;
  /** Options of the default test clock. @default {} */
  clockOptions?: TestClockOptions;
}

/** Anything that exposes an in-memory mediator's dispatch records. */
export interface DispatchSource {
  dispatched(): readonly DispatchRecord[];
}

/** Records of one request, optionally of some modes only. */
export function recordsOf<D extends AnyDefinition>(
  source: DispatchSource,
  definition: D | undefined,
  modes?: readonly DispatchRecordMode[],
): Dispatched<D>[] {
  return source
    .dispatched()
    .filter((r) => (!definition || r.request === definition.name) && (!modes || modes.includes(r.mode)))
    .map((r) => {
      const out: Dispatched<D> = {
        mode: r.mode,
        input: r.input as ParsedInputOf<D>,
        jobId: r.jobId,
        metadata: r.metadata,
        options: r.options,
        at: r.at,
      };
      if (r.recurringId !== undefined) out.recurringId = r.recurringId;
      return out;
    });
}

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * An in-memory mediator on a test clock, plus what it dispatched and handler stubs.
 *
 * @example
 * const harness = createTestHarness({ handlers });
 * await signUp(harness.mediator, { email: 'ada@example.com' });   // code under test enqueues
 * expect(harness.enqueued(CreateUser)).toMatchObject([{ input: { email: 'ada@example.com' } }]);
 * expect(harness).toHaveEnqueued(CreateUser, { email: 'ada@example.com' });
 * harness.stub(SendEmail).throws(new NonRetryableError('bounced'));
 * await harness.clock.advance('1h');
 */
export class TestHarness implements DispatchSource {
  /** The mediator to hand to the code under test. */
  readonly mediator: InMemoryMediator;
  /** Its clock: nothing waits unless you advance it (or use `clock.runUntil`). */
  readonly clock: TestClock;
  readonly #stubs: StubTable = new Map();

  constructor(options: TestHarnessOptions = {}) {
    const { clock, clockOptions, handlers, ...rest } = options;
    this.clock = clock ?? createTestClock(clockOptions);
    this.mediator = createInMemoryMediator({
      logger: silent,
      // What the assertions read; off by default outside the harness.
      maxRecords: 10_000,
      ...rest,
      clock: this.clock,
      handlers: new StubbedHandlers(handlers ?? createHandlers(), this.#stubs),
    });
  }

  /**
   * Replaces a request's handler (or a notification's named handler) with a stub; validation,
   * behaviors, retries and timeouts still apply. Returns the existing stub when there is one.
   */
  stub<D extends AnyDefinition>(definition: D, handlerName?: string): HandlerStub<D> {
    const key = stubKey(definition, handlerName);
    const existing = this.#stubs.get(key);
    if (existing) return existing.stub;
    const stub = new HandlerStub<D>();
    this.#stubs.set(key, { definition, handlerName, stub });
    return stub;
  }

  /** Removes a stub: the real handler (if any) answers again. */
  unstub(definition: AnyDefinition, handlerName?: string): void {
    this.#stubs.delete(stubKey(definition, handlerName));
  }

  /** Every dispatch, oldest first (`send`, `publish`, background jobs, recurring runs). */
  dispatched(): readonly DispatchRecord[] {
    return this.mediator.dispatched();
  }

  /** Background jobs of a request (`enqueue`, `enqueueAsync`, `enqueuePublish`, `schedule`): inputs and job ids. */
  enqueued<D extends AnyDefinition>(definition: D): Dispatched<D>[] {
    return recordsOf(this, definition, BACKGROUND_MODES);
  }

  /** Delayed jobs of a request (`schedule`). */
  scheduled<D extends AnyDefinition>(definition: D): Dispatched<D>[] {
    return recordsOf(this, definition, ['schedule']);
  }

  /** In-process `send` calls of a request. */
  sent<D extends AnyDefinition>(definition: D): Dispatched<D>[] {
    return recordsOf(this, definition, ['send']);
  }

  /** Publications of a notification: in process (`publish`), or as a job (`enqueuePublish`, or `schedule`d). */
  published<D extends AnyDefinition>(definition: D): Dispatched<D>[] {
    return recordsOf(this, definition, PUBLISH_MODES);
  }

  /** Runs started by recurring jobs for a request. */
  recurringRuns<D extends AnyDefinition>(definition: D): Dispatched<D>[] {
    return recordsOf(this, definition, ['recurring']);
  }

  /** Forgets the records and removes every stub (jobs and schedules are kept). */
  reset(): void {
    this.mediator.clearDispatched();
    this.#stubs.clear();
  }

  /** Closes the mediator (stops timers, terminates open jobs). */
  close(): Promise<void> {
    return this.mediator.close();
  }
}

/** Creates a {@link TestHarness}. */
export function createTestHarness(options: TestHarnessOptions = {}): TestHarness {
  return new TestHarness(options);
}
