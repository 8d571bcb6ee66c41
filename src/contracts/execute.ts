import type { z } from 'zod';
import type { MediatorErrorContext, ValidationIssue, ValidationSide } from '../core/errors.js';
import { HandlerNotFoundError, HandlerOutputError, RequestValidationError, toError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { HandleContext, Metadata } from './pipeline.js';
import { composeHandle } from './pipeline.js';
import type { AnyHandler, HandlerContext, Handlers, ProgressReport, RegistryEntry } from './registry.js';

/** Which schemas are checked. */
export interface ValidateOptions {
  /** Validate inputs (at the caller, and again on the worker). @default true */
  input?: boolean;
  /** Validate handler results. @default true */
  output?: boolean;
}

/** Converts zod issues to a serialisable form. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
  }));
}

/**
 * zod's parse result: synchronous when the schema allows it (the common case, no microtask hop), a
 * Promise only for schemas with async refinements (zod throws on those in `safeParse`).
 */
export function parseResult(
  schema: z.ZodType,
  value: unknown,
): z.ZodSafeParseResult<unknown> | Promise<z.ZodSafeParseResult<unknown>> {
  try {
    return schema.safeParse(value);
  } catch (err) {
    return parseAsyncOrThrow(schema, value, err);
  }
}

/** After `safeParse` threw: the async parse when zod refused an async schema, else `err` rethrown. */
export function parseAsyncOrThrow(
  schema: z.ZodType,
  value: unknown,
  err: unknown,
): Promise<z.ZodSafeParseResult<unknown>> {
  if (err instanceof Error && /async/i.test(err.message + err.name)) return schema.safeParseAsync(value);
  throw err;
}

type Definitionish = { readonly name: string; readonly input: z.ZodType };

/** What output checks need of a definition (structural: this module does not import contracts). */
type OutputDefinitionish = { readonly name: string; readonly kind: string; readonly output?: z.ZodType };

/** The parsed input, or a thrown {@link RequestValidationError}. */
export function checkedInput(
  definition: Definitionish,
  result: z.ZodSafeParseResult<unknown>,
  context: MediatorErrorContext & { side: ValidationSide },
): unknown {
  if (!result.success) throw new RequestValidationError(definition.name, toIssues(result.error), context);
  return result.data;
}

/** Parses a request's input, or throws a {@link RequestValidationError}. */
export async function parseInput(
  definition: Definitionish,
  input: unknown,
  context: MediatorErrorContext & { side: ValidationSide },
): Promise<unknown> {
  return checkedInput(definition, await parseResult(definition.input, input), context);
}

function checkedOutput(
  definition: OutputDefinitionish,
  result: z.ZodSafeParseResult<unknown>,
  context: MediatorErrorContext,
): unknown {
  if (!result.success) throw new HandlerOutputError(definition.name, toIssues(result.error), context);
  return result.data;
}

/**
 * Parses a handler's result: the value (synchronously where zod can), a Promise for async schemas,
 * or a thrown {@link HandlerOutputError}. Notifications have no output. For `.then` callbacks.
 */
export function parseOutputNow(
  definition: OutputDefinitionish,
  output: unknown,
  context: MediatorErrorContext = {},
): unknown {
  if (definition.kind === 'notification' || !definition.output) return undefined;
  const result = parseResult(definition.output, output);
  return result instanceof Promise
    ? result.then((r) => checkedOutput(definition, r, context))
    : checkedOutput(definition, result, context);
}

/** Parses a handler's result, or throws a {@link HandlerOutputError}. Notifications have no output. */
export function parseOutput(
  definition: OutputDefinitionish,
  output: unknown,
  context: MediatorErrorContext = {},
): Promise<unknown> {
  try {
    return Promise.resolve(parseOutputNow(definition, output, context));
  } catch (err) {
    return Promise.reject(toError(err));
  }
}

/** Everything a handler run needs besides the input. */
export interface RunContext {
  metadata: Metadata;
  log: Logger;
  signal: AbortSignal;
  jobId?: string | undefined;
  attempt?: number | undefined;
  idempotencyKey?: string | undefined;
  progress?: ((progress: number | ProgressReport) => void) | undefined;
}

const noProgress = (): void => undefined;

/** Looks up a command/query handler, or throws {@link HandlerNotFoundError}. */
export function requireHandler(
  handlers: Handlers,
  request: string,
  queue?: string,
): { entry: RegistryEntry; handler: AnyHandler } {
  const entry = handlers.get(request);
  if (entry?.handler) return { entry, handler: entry.handler };
  throw new HandlerNotFoundError(request, handlers.names(), { queue });
}

/**
 * Runs one handler through the handle behaviors. The input must already be parsed; the result is
 * not yet validated (see {@link parseOutput}).
 */
export function runHandler(
  handlers: Handlers,
  target: { entry: RegistryEntry; handler: AnyHandler; handlerName?: string | undefined },
  input: unknown,
  run: RunContext,
): Promise<unknown> {
  const { entry, handler, handlerName } = target;
  const definition = entry.definition;
  // Hot path: no behaviors, one context object, no closures.
  if (handlers.behaviors.length === 0) {
    return call(handler, input, {
      request: definition.name,
      kind: definition.kind,
      handler: handlerName,
      metadata: run.metadata,
      log: run.log,
      signal: run.signal,
      jobId: run.jobId,
      attempt: run.attempt,
      idempotencyKey: run.idempotencyKey,
      progress: run.progress ?? noProgress,
    });
  }
  const ctx: HandleContext = {
    request: definition.name,
    kind: definition.kind,
    handler: handlerName,
    input,
    metadata: run.metadata,
    log: run.log,
    signal: run.signal,
    jobId: run.jobId,
    attempt: run.attempt,
  };
  return composeHandle(handlers.behaviors, ctx, (c) =>
    call(handler, c.input, {
      request: c.request,
      kind: c.kind,
      handler: c.handler,
      metadata: c.metadata,
      log: c.log,
      signal: c.signal,
      jobId: c.jobId,
      attempt: c.attempt,
      idempotencyKey: run.idempotencyKey,
      progress: run.progress ?? noProgress,
    }),
  );
}

const NEVER = new AbortController().signal;

/**
 * {@link runHandler} for a command or query in process with no handle behaviors: the handler
 * context built directly (the same shape as a job's), no target or run objects.
 */
export function callInProcess(
  handler: AnyHandler,
  definition: { readonly name: string; readonly kind: HandlerContext['kind'] },
  input: unknown,
  context: {
    readonly metadata: Metadata;
    readonly signal: AbortSignal | undefined;
    readonly resolved: { readonly logger: Logger };
  },
): Promise<unknown> {
  return call(handler, input, {
    request: definition.name,
    kind: definition.kind,
    handler: undefined,
    metadata: context.metadata,
    log: context.resolved.logger,
    signal: context.signal ?? NEVER,
    jobId: undefined,
    attempt: undefined,
    idempotencyKey: undefined,
    progress: noProgress,
  });
}

const outputCheckers = new WeakMap<OutputDefinitionish, (output: unknown) => unknown>();
/** The error context of an in-process output check (shared: errors copy it). */
const IN_PROCESS: MediatorErrorContext = Object.freeze({});

/**
 * `(output) => parseOutputNow(definition, output)`, made once per definition: the `.then` callback
 * of an in-process `send`, so a call allocates no closure for it, and zod's `safeParse` inline.
 */
export function outputChecker(definition: OutputDefinitionish): (output: unknown) => unknown {
  let check = outputCheckers.get(definition);
  if (!check) {
    const schema = definition.kind === 'notification' ? undefined : definition.output;
    check = (output) => {
      if (!schema) return undefined;
      let result: z.ZodSafeParseResult<unknown>;
      try {
        result = schema.safeParse(output);
      } catch (err) {
        return parseAsyncOrThrow(schema, output, err).then((r) => checkedOutput(definition, r, IN_PROCESS));
      }
      if (!result.success) throw new HandlerOutputError(definition.name, toIssues(result.error), IN_PROCESS);
      return result.data;
    };
    outputCheckers.set(definition, check);
  }
  return check;
}

/** Calls a handler, turning a synchronous throw into a rejection. */
function call(handler: AnyHandler, input: unknown, ctx: HandlerContext): Promise<unknown> {
  try {
    return Promise.resolve(handler(input, ctx));
  } catch (err) {
    return Promise.reject(toError(err));
  }
}
