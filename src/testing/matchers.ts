/**
 * Vitest matchers over what an in-memory mediator (or a test harness) dispatched. Register them
 * once, e.g. in a setup file: `expect.extend(mediatorMatchers)`. This module does not import
 * vitest at runtime; it only adds the matchers' types to vitest's `Assertion`.
 */
import type { MatcherState } from 'vitest';
import type { AnyDefinition, InputOf } from '../contracts/definitions.js';
import type { DispatchRecordMode } from '../in-memory/records.js';
import type { DispatchSource } from './harness.js';
import { BACKGROUND_MODES, PUBLISH_MODES, recordsOf } from './harness.js';

/** The matchers' signatures, as they appear on `expect(mediatorOrHarness)`. */
export interface MediatorMatchers<R = unknown> {
  /**
   * A background job of `definition` was started (`enqueue`, `enqueueAsync`, `enqueuePublish` or
   * `schedule`), with an input that has the given fields (other fields are ignored; asymmetric
   * matchers work).
   */
  toHaveEnqueued<D extends AnyDefinition>(definition: D, input?: Partial<InputOf<D>>): R;
  /** Exactly `times` background jobs of `definition` were started. */
  toHaveEnqueuedTimes<D extends AnyDefinition>(definition: D, times: number): R;
  /** A delayed job of `definition` was started (`schedule`), with the given input fields. */
  toHaveScheduled<D extends AnyDefinition>(definition: D, input?: Partial<InputOf<D>>): R;
  /** `send` ran `definition` in process, with the given input fields. */
  toHaveSent<D extends AnyDefinition>(definition: D, input?: Partial<InputOf<D>>): R;
  /** The notification was published: in process (`publish`), or as a job (`enqueuePublish`, or `schedule`d). */
  toHavePublished<D extends AnyDefinition>(definition: D, input?: Partial<InputOf<D>>): R;
}

/** What a synchronous matcher returns. */
interface SyncExpectationResult {
  pass: boolean;
  message: () => string;
}

declare module 'vitest' {
  // Type parameters must match vitest's own declaration of `Assertion` for the merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends MediatorMatchers<T> {}
}

function isSource(value: unknown): value is DispatchSource {
  return typeof (value as { dispatched?: unknown } | null)?.dispatched === 'function';
}

function hasFields(state: MatcherState, actual: unknown, expected: unknown): boolean {
  const asymmetric =
    typeof (expected as { asymmetricMatch?: unknown } | null)?.asymmetricMatch === 'function';
  if (asymmetric || typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    return state.equals(actual, expected);
  }
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([key, value]) =>
    state.equals((actual as Record<string, unknown>)[key], value),
  );
}

function matchDispatch(
  state: MatcherState,
  call: {
    received: unknown;
    definition: AnyDefinition;
    input: unknown;
    modes: readonly DispatchRecordMode[];
    what: string;
  },
  matcher: string,
): SyncExpectationResult {
  const { received, definition, input, modes, what } = call;
  if (!isSource(received)) {
    return {
      pass: false,
      message: () =>
        `${matcher} needs an in-memory mediator or a test harness (something with dispatched()); received ${state.utils.printReceived(received)}`,
    };
  }
  const records = recordsOf(received, definition, modes);
  const pass = records.some((r) => input === undefined || hasFields(state, r.input, input));
  const withInput = input === undefined ? '' : ` with ${state.utils.printExpected(input)}`;
  const seen = records.length
    ? `it ${what} ${definition.name} ${records.length} time(s), with:\n${records.map((r) => `  ${state.utils.printReceived(r.input)}`).join('\n')}`
    : `it never ${what} ${definition.name}`;
  return {
    pass,
    message: () =>
      pass
        ? `expected the mediator not to have ${what} ${definition.name}${withInput}, but it did`
        : `expected the mediator to have ${what} ${definition.name}${withInput}; ${seen}`,
  };
}

type MatcherFn = (this: MatcherState, received: unknown, ...args: never[]) => SyncExpectationResult;

/**
 * The matchers, for `expect.extend(mediatorMatchers)`.
 *
 * @example
 * // vitest.setup.ts
 * import { expect } from 'vitest';
 * import { mediatorMatchers } from 'temporal-mediator/testing';
 * expect.extend(mediatorMatchers);
 * // a test
 * expect(harness.mediator).toHaveEnqueued(CreateUser, { email: 'ada@example.com' });
 */
export const mediatorMatchers = {
  toHaveEnqueued(this: MatcherState, received: unknown, definition: AnyDefinition, input?: unknown) {
    return matchDispatch(
      this,
      { received, definition, input, modes: BACKGROUND_MODES, what: 'enqueued' },
      'toHaveEnqueued',
    );
  },
  toHaveScheduled(this: MatcherState, received: unknown, definition: AnyDefinition, input?: unknown) {
    return matchDispatch(
      this,
      { received, definition, input, modes: ['schedule'], what: 'scheduled' },
      'toHaveScheduled',
    );
  },
  toHaveSent(this: MatcherState, received: unknown, definition: AnyDefinition, input?: unknown) {
    return matchDispatch(this, { received, definition, input, modes: ['send'], what: 'sent' }, 'toHaveSent');
  },
  toHavePublished(this: MatcherState, received: unknown, definition: AnyDefinition, input?: unknown) {
    return matchDispatch(
      this,
      { received, definition, input, modes: PUBLISH_MODES, what: 'published' },
      'toHavePublished',
    );
  },
  toHaveEnqueuedTimes(this: MatcherState, received: unknown, definition: AnyDefinition, times: number) {
    if (!isSource(received)) {
      return matchDispatch(
        this,
        { received, definition, input: undefined, modes: [], what: '' },
        'toHaveEnqueuedTimes',
      );
    }
    const count = recordsOf(received, definition, BACKGROUND_MODES).length;
    return {
      pass: count === times,
      message: () =>
        `expected the mediator ${count === times ? 'not ' : ''}to have enqueued ${definition.name} ${times} time(s); it did ${count} time(s)`,
    };
  },
} satisfies Record<string, MatcherFn>;
