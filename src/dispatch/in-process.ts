import type { AnyDefinition } from '../contracts/definitions.js';
import type { HandlerOutcome } from '../core/errors.js';
import { AggregateHandlerError, NotConfiguredError, errorMessage, toError } from '../core/errors.js';
import { checkedInput, parseOutputNow, parseResult, requireHandler, runHandler } from '../contracts/execute.js';
import type { ResolvedMediatorOptions } from './options.js';
import type { Metadata } from '../contracts/pipeline.js';
import type { Handlers } from '../contracts/registry.js';

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

export function requireHandlers(handlers: Handlers | undefined, request: string): Handlers {
  if (handlers) return handlers;
  throw new NotConfiguredError(
    `${request}: this mediator has no handlers, so send/publish are unavailable (API-only). Pass { handlers } to createMediator, or use enqueue.`,
    { request },
  );
}

/** Runs a command or query's handler in process; the input is already parsed. */
export function sendInProcess(
  handlers: Handlers,
  definition: AnyDefinition,
  input: unknown,
  context: InProcessContext,
): Promise<unknown> {
  const target = requireHandler(handlers, definition.name);
  const result = runHandler(handlers, target, input, {
    metadata: context.metadata,
    log: context.resolved.logger,
    signal: context.signal ?? NEVER,
  });
  return context.resolved.validateOutput ? result.then((r) => parseOutputNow(definition, r)) : result;
}

/**
 * `send` when there are no dispatch behaviors, shared by both backends: the input parsed
 * synchronously where zod can (one promise for the whole call, as a hand-written handler call has),
 * `onParsed` told before the handler runs (the in-memory backend records the dispatch there).
 */
export function sendDirect(
  handlers: Handlers,
  definition: AnyDefinition,
  input: unknown,
  context: InProcessContext & { onParsed?: (input: unknown) => void },
): Promise<unknown> {
  try {
    if (!context.resolved.validateInput) {
      context.onParsed?.(input);
      return sendInProcess(handlers, definition, input, context);
    }
    const result = parseResult(definition.input, input);
    const run = (r: Exclude<typeof result, Promise<unknown>>) => {
      const parsed = checkedInput(definition, r, { side: 'caller' });
      context.onParsed?.(parsed);
      return sendInProcess(handlers, definition, parsed, context);
    };
    return result instanceof Promise ? result.then(run) : run(result);
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
