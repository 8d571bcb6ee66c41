/**
 * Handler stubs for tests: replace a handler's result or failure without touching the registry. The
 * stub takes the handler's place only; validation, behaviors, retries and timeouts still apply.
 */
import type {
  AnyDefinition,
  HandlerResultOf,
  NotificationDefinition,
  ParsedInputOf,
  RequestDefinition,
} from '../contracts/definitions.js';
import { InvalidOptionError } from '../core/errors.js';
import type {
  AnyHandler,
  HandlerContext,
  NotificationHandler,
  RegistryEntry,
  RequestHandler,
} from '../contracts/registry.js';
import { Handlers } from '../contracts/registry.js';

/** One call a stub received. */
export interface StubCall<D extends AnyDefinition = AnyDefinition> {
  input: ParsedInputOf<D>;
  /** The job id (`undefined` for `send`/`publish`). */
  jobId: string | undefined;
  /** The attempt (`undefined` for `send`/`publish`). */
  attempt: number | undefined;
  metadata: Readonly<Record<string, string>>;
}

type Implementation = (input: unknown, ctx: HandlerContext) => unknown;

/**
 * What a stubbed handler does: `returns`/`throws`/`implement` set the default; the `…Once` forms
 * queue one-off behaviours used first, in order (e.g. fail the first attempt, then succeed).
 *
 * @example
 * harness.stub(ChargeCard).throwsOnce(new Error('gateway timeout')).returns({ chargeId: 'ch_1' });
 */
export class HandlerStub<D extends AnyDefinition = AnyDefinition> {
  /** Every call, oldest first. */
  readonly calls: StubCall<D>[] = [];
  #fallback: Implementation = () => undefined;
  readonly #once: Implementation[] = [];

  /** Every call returns `value`. */
  returns(value: HandlerResultOf<D>): this {
    this.#fallback = () => value;
    return this;
  }

  /** Every call throws `error` (retried per policy unless it is a `NonRetryableError`). */
  throws(error: unknown): this {
    this.#fallback = () => {
      throw error;
    };
    return this;
  }

  /** Every call runs `fn`. */
  implement(
    fn: D extends RequestDefinition ? RequestHandler<D> : NotificationHandler<D & NotificationDefinition>,
  ): this {
    this.#fallback = fn;
    return this;
  }

  /** The next call (not yet queued) returns `value`. */
  returnsOnce(value: HandlerResultOf<D>): this {
    this.#once.push(() => value);
    return this;
  }

  /** The next call (not yet queued) throws `error`. */
  throwsOnce(error: unknown): this {
    this.#once.push(() => {
      throw error;
    });
    return this;
  }

  /** @internal the handler the registry overlay runs */
  readonly handler: AnyHandler = (input, ctx) => {
    this.calls.push({
      input: input as ParsedInputOf<D>,
      jobId: ctx.jobId,
      attempt: ctx.attempt,
      metadata: ctx.metadata,
    });
    const next = this.#once.shift() ?? this.#fallback;
    return next(input, ctx);
  };
}

/** The key of a stub: the request, or `Request:handler` for a notification handler. */
export function stubKey(definition: AnyDefinition, handlerName?: string): string {
  if (definition.kind === 'notification' && !handlerName) {
    throw new InvalidOptionError(
      'handlerName',
      `'${definition.name}' is a notification: stub one of its handlers by name`,
      {
        request: definition.name,
      },
    );
  }
  if (definition.kind !== 'notification' && handlerName) {
    throw new InvalidOptionError(
      'handlerName',
      `'${definition.name}' is a ${definition.kind}: it has one handler, stub it without a name`,
      {
        request: definition.name,
      },
    );
  }
  return handlerName ? `${definition.name}:${handlerName}` : definition.name;
}

/** A stub and what it replaces. */
export interface StubEntry {
  definition: AnyDefinition;
  handlerName?: string | undefined;
  stub: HandlerStub;
}

/** Stubs by {@link stubKey}. */
export type StubTable = Map<string, StubEntry>;

/**
 * A registry that answers with the stubs first and the real registry second. Registering on it
 * registers on the real one.
 */
export class StubbedHandlers extends Handlers {
  readonly #base: Handlers;
  readonly #stubs: StubTable;

  constructor(base: Handlers, stubs: StubTable) {
    super({ behaviors: [...base.behaviors] });
    this.#base = base;
    this.#stubs = stubs;
  }

  override handle<R extends RequestDefinition>(definition: R, handler: RequestHandler<R>): this {
    this.#base.handle(definition, handler);
    return this;
  }

  override on<N extends NotificationDefinition>(
    definition: N,
    handlerName: string,
    handler: NotificationHandler<N>,
  ): this {
    this.#base.on(definition, handlerName, handler);
    return this;
  }

  override get(request: string): RegistryEntry | undefined {
    const base = this.#base.get(request);
    const stubs = [...this.#stubs.values()].filter((s) => s.definition.name === request);
    if (!stubs.length) return base;
    const definition = base?.definition ?? (stubs[0] as { definition: AnyDefinition }).definition;
    const entry: RegistryEntry = { definition, notificationHandlers: new Map(base?.notificationHandlers) };
    if (base?.handler) entry.handler = base.handler;
    for (const s of stubs) {
      if (s.handlerName) entry.notificationHandlers.set(s.handlerName, s.stub.handler);
      else entry.handler = s.stub.handler;
    }
    return entry;
  }

  override names(): string[] {
    return [...new Set([...this.#base.names(), ...this.#stubs.keys()])];
  }

  override entries(): IterableIterator<RegistryEntry> {
    const names = new Set([...this.#base.entries()].map((e) => e.definition.name));
    for (const s of this.#stubs.values()) names.add(s.definition.name);
    return [...names].flatMap((n) => this.get(n) ?? [])[Symbol.iterator]();
  }
}
