import type { AnyDefinition } from '../contracts/definitions.js';
import type { HandlerOutcome } from '../core/errors.js';
import type { z } from 'zod';
import {
  AggregateHandlerError,
  NotConfiguredError,
  RequestValidationError,
  errorMessage,
  toError,
} from '../core/errors.js';
import {
  callInProcess,
  checkedInput,
  outputChecker,
  parseAsyncOrThrow,
  requireHandler,
  runHandler,
  toIssues,
} from '../contracts/execute.js';
import type { ResolvedMediatorOptions } from './options.js';
import type { Metadata } from '../contracts/pipeline.js';
import type { RegistryEntry } from '../contracts/registry.js';
import { Handlers } from '../contracts/registry.js';

/** Per-call options of `send` and `publish`. */
export interface SendOptions {
  /** Aborts the handler (it sees `ctx.signal`). @default a signal that never aborts */
  signal?: AbortSignal;
  /** Metadata the handler sees as `ctx.metadata` (dispatch behaviors may add more). @default {} */
  metadata?: Metadata;
}

/** Per-call options of `publish`. */
export interface PublishOptions extends SendOptions {
  /** Overrides the mediator's `publishStrategy`. @default the mediator's, itself 'sequential' */
  strategy?: 'sequential' | 'parallel';
}

const NEVER = new AbortController().signal;

/** What an in-process run takes besides the input. */
export interface InProcessContext {
  resolved: ResolvedMediatorOptions;
  metadata: Metadata;
  signal: AbortSignal | undefined;
}

/** A `send` as a backend records it (the dispatch core's `DispatchRecordInit`). */
interface SentRecord {
  mode: 'send';
  definition: AnyDefinition;
  input: unknown;
  metadata: Metadata;
}

/**
 * What {@link sendDirect} tells before the handler runs: `onDispatch` gets the record (the backend's
 * own hook, passed as is: no closure per call).
 */
export interface SendHooks {
  onDispatch?: ((record: SentRecord) => void) | undefined;
}

export function requireHandlers(handlers: Handlers | undefined, request: string): Handlers {
  if (handlers) return handlers;
  throw new NotConfiguredError(
    `${request}: this mediator has no handlers, so send/publish are unavailable (API-only). Pass { handlers } to createMediator, or use enqueue.`,
    { request },
  );
}

/** Where a `send` input is checked, as a `RequestValidationError` says (shared: only read). */
const CALLER = Object.freeze({ side: 'caller' as const });

/** A request resolved in one registry: its entry and its output check. */
interface Resolved {
  readonly handlers: Handlers;
  readonly definition: AnyDefinition;
  readonly entry: RegistryEntry;
  readonly checkOutput: (output: unknown) => unknown;
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- only compared, never called
const baseGet = Handlers.prototype.get;
let last: Resolved | undefined;
const byDefinition = new WeakMap<AnyDefinition, Resolved>();

/**
 * The entry of `definition` in `handlers`, resolved once: the last request sent, else the last
 * registry this definition was sent through (a registry only adds entries; a subclass that overrides
 * `get`, such as the testing kit's stubs, is asked every time).
 */
function resolve(handlers: Handlers, definition: AnyDefinition): Resolved | undefined {
  const hit = last;
  if (hit !== undefined && hit.definition === definition && hit.handlers === handlers) return hit;
  const known = byDefinition.get(definition);
  if (known !== undefined && known.handlers === handlers) return (last = known);
  const entry = handlers.get(definition.name);
  if (!entry?.handler) return undefined;
  const resolved = { handlers, definition, entry, checkOutput: outputChecker(definition) };
  if (handlers.get === baseGet) {
    byDefinition.set(definition, resolved);
    last = resolved;
  }
  return resolved;
}

/** Runs a command or query's handler in process; the input is already parsed. */
export function sendInProcess(
  handlers: Handlers,
  definition: AnyDefinition,
  input: unknown,
  context: InProcessContext,
): Promise<unknown> {
  const options = context.resolved;
  const hot = resolve(handlers, definition);
  const handler = hot?.entry.handler;
  if (hot === undefined || handler === undefined || handlers.behaviors.length > 0) {
    const target = requireHandler(handlers, definition.name);
    const result = runHandler(handlers, target, input, {
      metadata: context.metadata,
      log: options.logger,
      signal: context.signal ?? NEVER,
    });
    return options.validateOutput ? result.then(outputChecker(definition)) : result;
  }
  // Hot path: no handle behaviors, one context object, no closure.
  const result = callInProcess(handler, definition, input, context);
  return options.validateOutput ? result.then(hot.checkOutput) : result;
}

/**
 * `send` when there are no dispatch behaviors, shared by both backends: the input parsed
 * synchronously where zod can (one promise for the whole call, as a hand-written handler call has),
 * the {@link SendHooks} told before the handler runs (the in-memory backend records the dispatch there).
 */
export function sendDirect(
  handlers: Handlers,
  definition: AnyDefinition,
  input: unknown,
  context: InProcessContext & SendHooks,
): Promise<unknown> {
  let parsed = input;
  if (context.resolved.validateInput) {
    let result: z.ZodSafeParseResult<unknown>;
    try {
      result = definition.input.safeParse(input);
    } catch (err) {
      // An async schema (zod refuses it synchronously), or a refinement that threw.
      return sendParsedLater(handlers, definition, context, () =>
        parseAsyncOrThrow(definition.input, input, err),
      );
    }
    if (!result.success) {
      return Promise.reject(new RequestValidationError(definition.name, toIssues(result.error), CALLER));
    }
    parsed = result.data;
  }
  try {
    told(definition, parsed, context);
    return sendInProcess(handlers, definition, parsed, context);
  } catch (err) {
    return Promise.reject(toError(err));
  }
}

function told(definition: AnyDefinition, input: unknown, context: InProcessContext & SendHooks): void {
  context.onDispatch?.({ mode: 'send', definition, input, metadata: context.metadata });
}

/** {@link sendDirect} past a schema zod cannot parse synchronously (`parse` gives the promise). */
function sendParsedLater(
  handlers: Handlers,
  definition: AnyDefinition,
  context: InProcessContext & SendHooks,
  parse: () => Promise<z.ZodSafeParseResult<unknown>>,
): Promise<unknown> {
  try {
    return parse().then((r) => {
      const parsed = checkedInput(definition, r, CALLER);
      told(definition, parsed, context);
      return sendInProcess(handlers, definition, parsed, context);
    });
  } catch (err) {
    return Promise.reject(toError(err));
  }
}

/** Runs every handler of a notification in process; throws {@link AggregateHandlerError} if any failed. */
export async function publishInProcess(
  handlers: Handlers,
  definition: AnyDefinition,
  input: unknown,
  context: InProcessContext & { strategy: 'sequential' | 'parallel' },
): Promise<void> {
  const entry = handlers.get(definition.name);
  const named = entry ? [...entry.notificationHandlers] : [];
  // A notification nobody listens to is not an error (MediatR semantics).
  if (!entry || named.length === 0) return;
  const run = ([handlerName, handler]: (typeof named)[number]) =>
    runHandler(handlers, { entry, handler, handlerName }, input, {
      metadata: context.metadata,
      log: context.resolved.logger,
      signal: context.signal ?? NEVER,
    });
  let settled: PromiseSettledResult<unknown>[];
  if (context.strategy === 'parallel') settled = await Promise.allSettled(named.map(run));
  else {
    settled = [];
    for (const h of named)
      settled.push(
        await run(h).then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      );
  }
  const outcomes: HandlerOutcome[] = settled.map((s, i) => {
    const handler = named[i]?.[0] ?? '?';
    if (s.status === 'fulfilled') return { handler, status: 'fulfilled' };
    const err = toError(s.reason);
    return { handler, status: 'rejected', error: { message: errorMessage(err), type: err.name } };
  });
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (errors.length) throw new AggregateHandlerError(definition.name, outcomes, { errors });
}
