/**
 * Builds the activity map a worker registers: one activity per command/query (type = request name),
 * one per notification handler (`Request:handler`), the notification handler lister and, when asked
 * (`defaultActivity: true`, as `createWorker` does), a `default` activity that fails clearly for
 * requests this worker has no handler for.
 *
 * A user's own worker hosts the mediator with `activities: { ...mine, ...createActivities(handlers) }`.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Duration } from '../src/core/durations.js';
import { toMs } from '../src/core/durations.js';
import type { ActivityExtras } from '../src/dispatch/envelope.js';
import { HandlerNotFoundError } from '../src/core/errors.js';
import { parseOutput, runHandler } from '../src/contracts/execute.js';
import { workerInput } from '../src/contracts/upcast.js';
import { STANDALONE_NO_TIME_LEFT_MS } from '../src/dispatch/lane.js';
import type { ValidateOptions } from '../src/contracts/execute.js';
import { childLogger, consoleLogger } from '../src/core/logger.js';
import type { Logger } from '../src/core/logger.js';
import type { AnyHandler, Handlers, RegistryEntry } from '../src/contracts/registry.js';
import { CONSOLE_SIGNAL, HANDLER_SEPARATOR, LIST_HANDLERS_ACTIVITY } from '../workflows/constants.js';
import type { Progress } from '../src/observability/console.js';
import { teeLogger, toProgress } from '../src/observability/console-tee.js';
import type { ProgressReport } from '../src/contracts/registry.js';
import { encodeResult } from '../src/core/results.js';
import { toTemporalFailure } from './failures.js';
import { ConsoleShipper } from './console.js';
import { usageFromDetails } from './console-caps.js';
import type { ConsoleOptions } from './console.js';
import { StandaloneConsole } from './standalone-console.js';

export { toTemporalFailure } from './failures.js';

/** An activity function as the worker registers it. */
export type MediatorActivity = (...args: unknown[]) => Promise<unknown>;

/** Options of {@link createActivities}. */
export interface ActivitiesOptions {
  /** Where handler log lines go, with job context added. @default consoleLogger() */
  logger?: Logger;
  /** Which schemas the worker checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** How often the wrapper heartbeats (the SDK throttles what it sends). @default '1s' */
  heartbeatInterval?: Duration;
  /** @deprecated use `heartbeatInterval` (a Duration; a number there is milliseconds too) */
  heartbeatIntervalMs?: number;
  /** The per-job console: `ctx.log` lines and progress shipped to the job. @default { enabled: true } */
  console?: ConsoleOptions;
  /**
   * Also register Temporal's `default` activity, which answers every activity type the worker lacks
   * with a non-retryable `HandlerNotFoundError` naming the request, the queue and the handlers served.
   * Only for workers that run nothing but mediator jobs (`createWorker` turns it on): in a worker of
   * your own it would also claim your workflows' activity types, typos included.
   * @default false
   */
  defaultActivity?: boolean;
}

/**
 * Creates the activities that run the registry's handlers.
 *
 * @example
 * const worker = await Worker.create({
 *   workflowsPath: require.resolve('./workflows'), // re-exports executeRequest
 *   activities: { ...myActivities, ...createActivities(handlers) },
 *   taskQueue: 'default',
 * });
 */
export function createActivities(
  handlers: Handlers,
  options: ActivitiesOptions = {},
): Record<string, MediatorActivity> {
  const logger = options.logger ?? consoleLogger();
  const validateInput = options.validate?.input ?? true;
  const validateOutput = options.validate?.output ?? true;
  const heartbeatMs = toMs(
    options.heartbeatInterval ?? options.heartbeatIntervalMs ?? 1000,
    'heartbeatInterval',
  );
  const activities: Record<string, MediatorActivity> = {};

  const consoleEnabled = options.console?.enabled ?? true;

  const wrap =
    (entry: RegistryEntry, handler: AnyHandler, handlerName?: string): MediatorActivity =>
    async (input: unknown, extras?: unknown) => {
      const actx = Context.current();
      const { info } = actx;
      const request = entry.definition.name;
      const jobId = info.workflowExecution?.workflowId ?? info.activityId;
      const attempt = info.attempt;
      if (!info.workflowExecution && noTimeLeft(info.scheduleToCloseTimeoutMs)) {
        await expired(actx.cancellationSignal, request);
      }
      const meta = (extras ?? {}) as ActivityExtras;
      const workerLog = childLogger(logger, {
        request,
        handler: handlerName,
        jobId,
        attempt,
        queue: info.taskQueue,
      });
      const shipper =
        consoleEnabled && entry.definition.console !== false && info.workflowExecution
          ? new ConsoleShipper(
              (batch) =>
                actx.client.workflow
                  .getHandle(jobId, info.workflowExecution?.runId)
                  .signal(CONSOLE_SIGNAL, batch),
              // The budget is the job's: earlier attempts' usage comes back in their heartbeat details.
              { ...options.console, log: workerLog, used: usageFromDetails(info.heartbeatDetails) },
            )
          : undefined;
      // Standalone lane (no workflow to ship to): the console rides in the heartbeat details.
      const previous = info.heartbeatDetails as { lines?: unknown; dropped?: unknown; progress?: Progress };
      const standalone =
        consoleEnabled && entry.definition.console !== false && !info.workflowExecution && !info.isLocal
          ? new StandaloneConsole(previous)
          : undefined;
      const sink = shipper ?? standalone;
      const log = sink ? teeLogger(workerLog, sink, { attempt, handler: handlerName }) : workerLog;
      // Heartbeat details (not history): the exact latest progress, the console's usage, the latest lines.
      let latest: Progress | undefined = standalone ? previous?.progress : undefined;
      const details = () => ({
        progress: latest,
        console: shipper?.usage(),
        lines: shipper?.recent() ?? standalone?.lines(),
        ...(standalone?.dropped ? { dropped: standalone.dropped } : {}),
      });
      // The SDK throttles heartbeats and drops the pending one when the activity completes: a standalone
      // job's last lines and progress are sent directly (one call, only when the handler wrote some),
      // since its heartbeat details are its console and outlive it.
      const flushStandalone = async () => {
        if (!standalone || (standalone.written === 0 && latest === previous?.progress)) return;
        const last = details();
        // The SDK's pending heartbeat may still go out after the direct one: it carries the same.
        actx.heartbeat(last);
        await actx.client.activity.heartbeat(info.taskToken, last).catch(() => undefined);
      };
      const progress = (report: number | ProgressReport) => {
        latest = toProgress(report);
        // Standalone: the next beat carries it, so no heartbeat of the SDK's can race the final one.
        if (!info.isLocal && !standalone) actx.heartbeat(details());
        shipper?.progress(latest);
      };
      // Local activities (the fast lane) cannot heartbeat; their cancellation arrives with the workflow task.
      const beat = info.isLocal ? undefined : setInterval(() => actx.heartbeat(details()), heartbeatMs);
      try {
        // Upcast an older contract's payload; refuse a newer one before the handler runs.
        const parsed = await workerInput(entry.definition, input, {
          from: meta.version,
          validate: validateInput,
          jobId,
          attempt,
        });
        const result = await runHandler(handlers, { entry, handler, handlerName }, parsed, {
          metadata: meta.metadata ?? {},
          log,
          signal: actx.cancellationSignal,
          jobId,
          attempt,
          idempotencyKey: handlerName ? `${jobId}${HANDLER_SEPARATOR}${handlerName}` : jobId,
          progress,
        });
        const output = validateOutput
          ? await parseOutput(entry.definition, result, { jobId, attempt })
          : result;
        await flushStandalone();
        // Dates and the like are tagged so the caller gets the output schema's type back.
        return encodeResult(output);
      } catch (err) {
        await flushStandalone();
        const reason: unknown = actx.cancellationSignal.reason;
        if (actx.cancellationSignal.aborted && reason instanceof CancelledFailure) throw reason;
        throw toTemporalFailure(err, attempt);
      } finally {
        clearInterval(beat);
        await shipper?.close();
      }
    };

  for (const entry of handlers.entries()) {
    const name = entry.definition.name;
    if (entry.handler) activities[name] = wrap(entry, entry.handler);
    for (const [handlerName, handler] of entry.notificationHandlers) {
      activities[`${name}${HANDLER_SEPARATOR}${handlerName}`] = wrap(entry, handler, handlerName);
    }
  }

  activities[LIST_HANDLERS_ACTIVITY] = (request: unknown) => {
    const entry = handlers.get(String(request));
    const names = entry ? [...entry.notificationHandlers.keys()] : [];
    if (!names.length) {
      throw toTemporalFailure(
        new HandlerNotFoundError(String(request), handlers.names(), {
          queue: Context.current().info.taskQueue,
        }),
        1,
      );
    }
    return Promise.resolve(names);
  };

  if (options.defaultActivity) activities.default = notFoundActivity(handlers);
  return activities;
}

/** Temporal calls the `default` activity for any unregistered type: fail at once, naming what we serve. */
function notFoundActivity(handlers: Handlers): MediatorActivity {
  return () => {
    const { info } = Context.current();
    const err = new HandlerNotFoundError(info.activityType, handlers.names(), {
      queue: info.taskQueue,
      jobId: info.workflowExecution?.workflowId,
      attempt: info.attempt,
    });
    return Promise.reject(toTemporalFailure(err, info.attempt));
  };
}

/**
 * A standalone job whose start delay outlasted its job timeout gets no time from the lane
 * (`STANDALONE_NO_TIME_LEFT_MS`): the server times it out, as the workflow lane's job timeout would.
 * The handler must not run, even when this worker picked the task up within that last millisecond.
 */
function noTimeLeft(scheduleToCloseMs: number | undefined): boolean {
  // 0 (or none) is no schedule-to-close timeout at all.
  return (
    scheduleToCloseMs !== undefined &&
    scheduleToCloseMs > 0 &&
    scheduleToCloseMs <= STANDALONE_NO_TIME_LEFT_MS
  );
}

/** Holds the task until the server's timeout has closed it (then nothing this returns counts). */
async function expired(signal: AbortSignal, request: string): Promise<never> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  throw ApplicationFailure.create({
    type: 'JobTimeout',
    message: `${request}: the job timeout ran out during its start delay; the handler did not run`,
    nonRetryable: true,
  });
}
