import type { Duration } from '../core/durations.js';
import { toMs } from '../core/durations.js';
import { JobTimeoutError, errorMessage } from '../core/errors.js';
import type { RequestKind } from './definitions.js';
import type { Logger } from '../core/logger.js';

/** Free-form string metadata that travels with a request (tenant, correlation id, user…). */
export type Metadata = Record<string, string>;

/** How a request is being dispatched. */
export type DispatchMode = 'send' | 'publish' | 'enqueue' | 'enqueueAsync' | 'enqueuePublish' | 'schedule';

/** Per-call options a dispatch behavior may read and change before the job starts. */
export interface DispatchOptionsView {
  jobId?: string;
  queue?: string;
  description?: string;
}

/** What a dispatch behavior sees. `input`, `metadata` and `options` may be changed before calling `next`. */
export interface DispatchContext {
  readonly request: string;
  readonly kind: RequestKind;
  readonly mode: DispatchMode;
  /** The (caller-validated) input. Replace it to transform the request. */
  input: unknown;
  /** Metadata stamped into the envelope; handlers see it as `ctx.metadata`. */
  metadata: Metadata;
  /** Per-call options, e.g. derive `jobId` from the input. Ignored for `send`/`publish`. */
  options: DispatchOptionsView;
}

/**
 * Runs at the caller before anything is sent: authorisation, stamping metadata, deriving a `jobId`.
 * Call `next()` to continue, or return without calling it to short-circuit (its value becomes the
 * call's result: the output for `send`/`enqueueAsync`, a job handle for `enqueue`), or throw to refuse.
 */
export type DispatchBehavior = (ctx: DispatchContext, next: () => Promise<unknown>) => Promise<unknown>;

/** What a handle behavior sees. */
export interface HandleContext {
  readonly request: string;
  readonly kind: RequestKind;
  /** The notification handler's name, for notifications. */
  readonly handler: string | undefined;
  /** The validated input. */
  readonly input: unknown;
  readonly metadata: Readonly<Metadata>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** The job id when running as a background job; `undefined` in process. */
  readonly jobId: string | undefined;
  /** The attempt (1-based) when running as a background job; `undefined` in process. */
  readonly attempt: number | undefined;
}

/** Overrides a handle behavior may pass to `next`. */
export interface HandleOverrides {
  /** Replace the input the handler receives (it is not validated again). */
  input?: unknown;
  /** Replace the abort signal the handler receives (e.g. one that also fires on a timeout). */
  signal?: AbortSignal;
}

/**
 * Runs around the handler — in process for `send`/`publish` and inside workers for background jobs.
 * Call `next()` for the handler's result (possibly changed), return without calling it to short-circuit,
 * or throw.
 */
export type HandleBehavior = (
  ctx: HandleContext,
  next: (overrides?: HandleOverrides) => Promise<unknown>,
) => Promise<unknown>;

/** Composes behaviors around `last`, outermost first. */
export function composeHandle(
  behaviors: readonly HandleBehavior[],
  ctx: HandleContext,
  last: (ctx: HandleContext) => Promise<unknown>,
): Promise<unknown> {
  const step = (i: number, current: HandleContext): Promise<unknown> => {
    const behavior = behaviors[i];
    if (!behavior) return last(current);
    return behavior(current, (overrides) => step(i + 1, overrides ? { ...current, ...overrides } : current));
  };
  return step(0, ctx);
}

/** Composes dispatch behaviors around `last`, outermost first. */
export function composeDispatch(
  behaviors: readonly DispatchBehavior[],
  ctx: DispatchContext,
  last: (ctx: DispatchContext) => Promise<unknown>,
): Promise<unknown> {
  const step = (i: number): Promise<unknown> => {
    const behavior = behaviors[i];
    return behavior ? behavior(ctx, () => step(i + 1)) : last(ctx);
  };
  return step(0);
}

/**
 * Built-in: logs each handler run with its duration, and failures with their message.
 *
 * @example createHandlers({ behaviors: [loggingBehavior()] })
 */
export function loggingBehavior(options: { level?: 'debug' | 'info' } = {}): HandleBehavior {
  const level = options.level ?? 'info';
  return async (ctx, next) => {
    const started = performance.now();
    const name = ctx.handler ? `${ctx.request}:${ctx.handler}` : ctx.request;
    try {
      const result = await next();
      ctx.log[level](`${name} handled`, {
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
      return result;
    } catch (err) {
      ctx.log.error(`${name} failed`, {
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        error: errorMessage(err),
      });
      throw err;
    }
  };
}

/**
 * Built-in: fails the handler with a {@link JobTimeoutError} (`timeout: 'attempt'`) after `duration`
 * and aborts the signal the handler receives, so cooperative handlers stop their work.
 */
export function timeoutBehavior(duration: Duration): HandleBehavior {
  const ms = toMs(duration, 'timeoutBehavior');
  return async (ctx, next) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new JobTimeoutError(ctx.request, 'attempt', {
          jobId: ctx.jobId,
          attempt: ctx.attempt,
          after: String(duration),
        });
        controller.abort(err);
        reject(err);
      }, ms);
    });
    try {
      return await Promise.race([next({ signal: controller.signal }), timeout]);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  };
}
