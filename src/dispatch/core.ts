/**
 * The dispatch core both backends run: kind check, caller-side input validation, the dispatch
 * behaviors, and the job plan (call options merged with what behaviors set). A backend supplies only
 * what differs: where a job starts (`start`: Temporal, or this process's store), and whether it is
 * ready (`ready`: a client, an open in-memory mediator). The in-memory backend records dispatches
 * through `onDispatch`.
 */
import type { AnyDefinition, NotificationDefinition, RequestDefinition } from '../contracts/definitions.js';
import { InvalidOptionError, toError } from '../core/errors.js';
import { parseInput } from '../contracts/execute.js';
import { expectKind } from '../contracts/kinds.js';
import type { DispatchContext, DispatchMode, Metadata } from '../contracts/pipeline.js';
import { composeDispatch } from '../contracts/pipeline.js';
import type { Handlers } from '../contracts/registry.js';
import type { JobHandle } from '../jobs/handle.js';
import type { PublishOptions, SendOptions } from './in-process.js';
import { publishInProcess, requireHandlers, sendDirect, sendInProcess } from './in-process.js';
import { resolveLane, unsupported } from './lane.js';
import type { ResolvedMediatorOptions } from './options.js';
import type { JobOptions, JobPlan } from './plan.js';

/** What reaches a backend once the dispatch behaviors ran. */
export interface DispatchRecordInit {
  mode: DispatchMode;
  definition: AnyDefinition;
  input: unknown;
  metadata: Metadata;
}

/** One backend's side of the dispatch core. */
export interface DispatchBackend {
  readonly resolved: ResolvedMediatorOptions;
  /** The handlers of `send`/`publish`; none means an API-only mediator (`NotConfiguredError`). */
  readonly handlers: Handlers | undefined;
  /** Called with every dispatch as it reaches the backend (after behaviors; before the handler runs). */
  readonly onDispatch?: ((record: DispatchRecordInit) => void) | undefined;
}

/** The options of a background call, plus what to do with the job once started. */
export type JobCall = JobOptions & { then?: (job: JobHandle) => Promise<unknown> };

/** How a backend starts a planned job. */
export interface JobStarter {
  /** Throws when the backend cannot start jobs (no client, closed); runs before validation. */
  ready(request: string): void;
  start(plan: JobPlan): Promise<JobHandle> | JobHandle;
}

function context(
  mode: DispatchMode,
  definition: AnyDefinition,
  input: unknown,
  extra: { metadata: Metadata; options?: DispatchContext['options'] },
): DispatchContext {
  const { metadata, options = {} } = extra;
  return { request: definition.name, kind: definition.kind, mode, input, metadata, options };
}

/** `send`: a command's or query's handler in process; rejects (never throws) on bad input. */
export function dispatchSend(
  backend: DispatchBackend,
  definition: RequestDefinition,
  input: unknown,
  options: SendOptions | undefined,
): Promise<unknown> {
  try {
    const handlers = requireHandlers(backend.handlers, definition.name);
    expectKind(definition, 'send');
    const { resolved, onDispatch } = backend;
    const metadata = options?.metadata ? { ...options.metadata } : {};
    const signal = options?.signal;
    if (resolved.behaviors.length === 0) {
      return sendDirect(handlers, definition, input, {
        resolved,
        metadata,
        signal,
        onDispatch,
      });
    }
    return sendWithBehaviors(backend, handlers, definition, { input, metadata, signal });
  } catch (err) {
    return Promise.reject(toError(err));
  }
}

async function sendWithBehaviors(
  backend: DispatchBackend,
  handlers: Handlers,
  definition: RequestDefinition,
  call: { input: unknown; metadata: Metadata; signal: AbortSignal | undefined },
): Promise<unknown> {
  const { resolved, onDispatch } = backend;
  const { input, metadata } = call;
  const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
  return composeDispatch(resolved.behaviors, context('send', definition, parsed, { metadata }), (ctx) => {
    onDispatch?.({ mode: 'send', definition, input: ctx.input, metadata: ctx.metadata });
    return sendInProcess(handlers, definition, ctx.input, {
      resolved,
      metadata: ctx.metadata,
      signal: call.signal,
    });
  });
}

/** `publish`: every handler of a notification in process, by the call's or the mediator's strategy. */
export async function dispatchPublish(
  backend: DispatchBackend,
  definition: NotificationDefinition,
  input: unknown,
  options: PublishOptions = {},
): Promise<void> {
  const handlers = requireHandlers(backend.handlers, definition.name);
  expectKind(definition, 'publish');
  const { resolved, onDispatch } = backend;
  const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
  const strategy = options.strategy ?? resolved.publishStrategy;
  await composeDispatch(
    resolved.behaviors,
    context('publish', definition, parsed, { metadata: { ...options.metadata } }),
    (ctx) => {
      onDispatch?.({ mode: 'publish', definition, input: ctx.input, metadata: ctx.metadata });
      return publishInProcess(handlers, definition, ctx.input, {
        resolved,
        metadata: ctx.metadata,
        signal: options.signal,
        strategy,
      });
    },
  );
}

/**
 * `enqueue`, `enqueueAsync`, `enqueuePublish` and `schedule`: validates, runs the dispatch behaviors
 * (which see the job id, queue and description and may change them), then starts the job on the
 * backend and returns the handle (or what `then` makes of it).
 */
export async function dispatchJob(
  backend: DispatchBackend,
  starter: JobStarter,
  call: { mode: DispatchMode; definition: AnyDefinition; input: unknown; options: JobCall },
): Promise<unknown> {
  const { mode, definition, input } = call;
  const { then, ...callOptions } = call.options;
  if (mode === 'schedule' && callOptions.delay === undefined && callOptions.at === undefined) {
    throw new InvalidOptionError('delay', 'schedule needs { delay } or { at }; use enqueue to start now', {
      request: definition?.name,
    });
  }
  if (mode !== 'schedule') expectKind(definition, mode);
  starter.ready(definition.name);
  const resolved = backend.resolved;
  // A notification's fan-out needs the workflow: refused on the standalone lane (or run on the
  // workflow lane with laneFallback: 'workflow'), on both backends, before anything runs.
  if (
    definition.kind === 'notification' &&
    resolveLane(definition, callOptions, resolved.defaults) === 'standalone'
  )
    unsupported(definition, callOptions, { defaults: resolved.defaults, reason: 'kind' });
  const parsed = resolved.validateInput ? await parseInput(definition, input, { side: 'caller' }) : input;
  const metadata = { ...callOptions.metadata };
  const last = async (ctx: DispatchContext) => {
    const plan: JobPlan = {
      mode,
      definition,
      input: ctx.input,
      metadata: ctx.metadata,
      options: { ...callOptions, ...ctx.options },
    };
    const job = await starter.start(plan);
    return then ? then(job) : job;
  };
  if (resolved.behaviors.length === 0) return last(context(mode, definition, parsed, { metadata }));
  const view = { jobId: callOptions.jobId, queue: callOptions.queue, description: callOptions.description };
  return composeDispatch(
    resolved.behaviors,
    context(mode, definition, parsed, { metadata, options: view }),
    last,
  );
}
