/**
 * Builds the activity map a worker registers: one activity per command/query (type = request name),
 * one per notification handler (`Request:handler`), the notification handler lister, and a
 * `default` activity that fails clearly for requests this worker has no handler for.
 *
 * A user's own worker hosts the mediator with `activities: { ...mine, ...createActivities(handlers) }`.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityExtras } from '../src/envelope.js';
import { HandlerNotFoundError } from '../src/errors.js';
import { parseInput, parseOutput, runHandler } from '../src/execute.js';
import type { ValidateOptions } from '../src/execute.js';
import { childLogger, consoleLogger } from '../src/logger.js';
import type { Logger } from '../src/logger.js';
import type { AnyHandler, Handlers, RegistryEntry } from '../src/registry.js';
import { HANDLER_SEPARATOR, LIST_HANDLERS_ACTIVITY } from '../workflows/constants.js';
import { toTemporalFailure } from './failures.js';

export { toTemporalFailure } from './failures.js';

/** An activity function as the worker registers it. */
export type MediatorActivity = (...args: unknown[]) => Promise<unknown>;

/** Options of {@link createActivities}. */
export interface ActivitiesOptions {
  /** Where handler log lines go, with job context added. @default consoleLogger() */
  logger?: Logger;
  /** Which schemas the worker checks. @default { input: true, output: true } */
  validate?: ValidateOptions;
  /** How often the wrapper heartbeats (the SDK throttles what it sends). @default 1000 ms */
  heartbeatIntervalMs?: number;
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
  const heartbeatMs = options.heartbeatIntervalMs ?? 1000;
  const activities: Record<string, MediatorActivity> = {};

  const wrap =
    (entry: RegistryEntry, handler: AnyHandler, handlerName?: string): MediatorActivity =>
    async (input: unknown, extras?: unknown) => {
      const actx = Context.current();
      const { info } = actx;
      const request = entry.definition.name;
      const jobId = info.workflowExecution?.workflowId ?? info.activityId;
      const attempt = info.attempt;
      const meta = (extras ?? {}) as ActivityExtras;
      const log = childLogger(logger, {
        request,
        handler: handlerName,
        jobId,
        attempt,
        queue: info.taskQueue,
      });
      const beat = setInterval(() => actx.heartbeat(), heartbeatMs);
      try {
        const parsed = validateInput
          ? await parseInput(entry.definition, input, { side: 'worker', jobId, attempt })
          : input;
        const result = await runHandler(handlers, { entry, handler, handlerName }, parsed, {
          metadata: meta.metadata ?? {},
          log,
          signal: actx.cancellationSignal,
          jobId,
          attempt,
          idempotencyKey: handlerName ? `${jobId}${HANDLER_SEPARATOR}${handlerName}` : jobId,
        });
        return validateOutput ? await parseOutput(entry.definition, result, { jobId, attempt }) : result;
      } catch (err) {
        const reason: unknown = actx.cancellationSignal.reason;
        if (actx.cancellationSignal.aborted && reason instanceof CancelledFailure) throw reason;
        throw toTemporalFailure(err, attempt);
      } finally {
        clearInterval(beat);
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

  // Temporal calls the `default` activity for any unregistered type: fail at once, naming what we serve.
  activities.default = () => {
    const { info } = Context.current();
    const err = new HandlerNotFoundError(info.activityType, handlers.names(), {
      queue: info.taskQueue,
      jobId: info.workflowExecution?.workflowId,
      attempt: info.attempt,
    });
    return Promise.reject(toTemporalFailure(err, info.attempt));
  };

  return activities;
}
