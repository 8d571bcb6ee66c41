import type {
  AnyDefinition,
  HandlerResultOf,
  NotificationDefinition,
  ParsedInputOf,
  RequestDefinition,
} from './definitions.js';
import { assertValidName } from './definitions.js';
import { DuplicateRegistrationError, InvalidOptionError } from '../core/errors.js';
import type { HandleBehavior, HandleContext } from './pipeline.js';

/** What a handler receives besides its input. */
export interface HandlerContext extends Omit<HandleContext, 'input'> {
  /**
   * A key stable across retries of the same job (and distinct per notification handler), to
   * deduplicate side effects: handlers run at least once. `undefined` in process.
   */
  readonly idempotencyKey: string | undefined;
  /**
   * Reports progress: a fraction (0..1) or `{ done, total, message }`. For a job it is shown in the
   * Web UI (current details), sent as heartbeat details and read with `job.progress()`; in process
   * it is a no-op.
   */
  progress(progress: number | ProgressReport): void;
}

/** What `ctx.progress()` accepts besides a plain fraction. */
export interface ProgressReport {
  done: number;
  total: number;
  message?: string;
}

/** A command or query handler. */
export type RequestHandler<D extends RequestDefinition> = (
  input: ParsedInputOf<D>,
  ctx: HandlerContext,
) => Promise<HandlerResultOf<D>> | HandlerResultOf<D>;

/** A notification handler. */
export type NotificationHandler<D extends NotificationDefinition> = (
  input: ParsedInputOf<D>,
  ctx: HandlerContext,
) => Promise<void> | void;

/** Untyped handler as stored in the registry. */
export type AnyHandler = (input: unknown, ctx: HandlerContext) => unknown;

/** One registered request and its handler(s). */
export interface RegistryEntry {
  readonly definition: AnyDefinition;
  /** The handler of a command or query. */
  handler?: AnyHandler;
  /** The named handlers of a notification, in registration order. */
  readonly notificationHandlers: Map<string, AnyHandler>;
}

/** Options of {@link createHandlers}. */
export interface HandlersOptions {
  /** Handle behaviors, outermost first, run around every handler (in process and in workers). @default [] */
  behaviors?: HandleBehavior[];
}

/**
 * The handler registry: requests by name, their handlers and the handle behaviors. Built with
 * {@link createHandlers}; shared by the in-process mediator and by workers.
 */
export class Handlers {
  /** Handle behaviors, outermost first. */
  readonly behaviors: readonly HandleBehavior[];
  readonly #entries = new Map<string, RegistryEntry>();

  constructor(options: HandlersOptions = {}) {
    this.behaviors = [...(options.behaviors ?? [])];
  }

  /** Registers the single handler of a command or query. A second one fails. */
  handle<D extends RequestDefinition>(definition: D, handler: RequestHandler<D>): this {
    if ((definition as AnyDefinition).kind === 'notification') {
      throw new InvalidOptionError(
        'handle',
        `'${definition.name}' is a notification: register its handlers with .on(def, name, fn)`,
        {
          request: definition.name,
        },
      );
    }
    const entry = this.#entry(definition);
    if (entry.handler) {
      throw new DuplicateRegistrationError(
        `${definition.kind} '${definition.name}' already has a handler; a ${definition.kind} has exactly one`,
        definition.name,
      );
    }
    entry.handler = handler as AnyHandler;
    return this;
  }

  /** Registers a named handler of a notification; names are unique per notification. */
  on<D extends NotificationDefinition>(
    definition: D,
    handlerName: string,
    handler: NotificationHandler<D>,
  ): this {
    if ((definition as AnyDefinition).kind !== 'notification') {
      throw new InvalidOptionError(
        'on',
        `'${definition.name}' is a ${(definition as AnyDefinition).kind}: register its handler with .handle(def, fn)`,
        {
          request: definition.name,
        },
      );
    }
    assertValidName(handlerName, `Handler name of '${definition.name}'`);
    const entry = this.#entry(definition);
    if (entry.notificationHandlers.has(handlerName)) {
      throw new DuplicateRegistrationError(
        `notification '${definition.name}' already has a handler named '${handlerName}'`,
        definition.name,
      );
    }
    entry.notificationHandlers.set(handlerName, handler as AnyHandler);
    return this;
  }

  /** The entry of a request, if registered. */
  get(request: string): RegistryEntry | undefined {
    return this.#entries.get(request);
  }

  /** Registered request names, with notification handlers as `Request:handler`. */
  names(): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.#entries) {
      if (entry.definition.kind === 'notification')
        for (const h of entry.notificationHandlers.keys()) out.push(`${name}:${h}`);
      else if (entry.handler) out.push(name);
    }
    return out;
  }

  /** All entries. */
  entries(): IterableIterator<RegistryEntry> {
    return this.#entries.values();
  }

  #entry(definition: AnyDefinition): RegistryEntry {
    const existing = this.#entries.get(definition.name);
    if (existing) {
      if (existing.definition !== definition) {
        throw new DuplicateRegistrationError(
          `two different definitions share the request name '${definition.name}' (${existing.definition.kind} and ${definition.kind}); request names must be unique`,
          definition.name,
        );
      }
      return existing;
    }
    const entry: RegistryEntry = { definition, notificationHandlers: new Map() };
    this.#entries.set(definition.name, entry);
    return entry;
  }
}

/**
 * Creates a handler registry.
 *
 * @example
 * export const handlers = createHandlers({ behaviors: [loggingBehavior()] })
 *   .handle(CreateUser, async (input, ctx) => ({ userId: await users.create(input) }))
 *   .on(UserCreated, 'welcome-email', async (event) => mail.welcome(event.userId));
 */
export function createHandlers(options: HandlersOptions = {}): Handlers {
  return new Handlers(options);
}
