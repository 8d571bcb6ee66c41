/**
 * One handler attempt, as the worker's activity wrapper (`activities/index.ts`) runs it: validate
 * the input, run the handle behaviors and the handler, validate the output, and describe whatever
 * was thrown as the worker would report it (`describeFailure`), as a typed {@link AttemptOutcome}.
 */
import { HandlerNotFoundError } from '../core/errors.js';
import { describeFailure } from '../jobs/failure-info.js';
import { parseOutput, runHandler } from '../contracts/execute.js';
import { workerInput } from '../contracts/upcast.js';
import type { ValidateOptions } from '../contracts/execute.js';
import { childLogger } from '../core/logger.js';
import type { Logger } from '../core/logger.js';
import type { Metadata } from '../contracts/pipeline.js';
import type { AnyHandler, Handlers, ProgressReport, RegistryEntry } from '../contracts/registry.js';
import { HANDLER_SEPARATOR } from '../../workflows/constants.js';
import type { Clock } from './clock.js';
import type { JobConsole } from './console.js';
import { teeLogger, toProgress } from '../observability/console-tee.js';
import type { AttemptOutcome } from './outcome.js';

/** Which handler an activity runs: a request's, or one named handler of a notification. */
export interface ActivityTarget {
  request: string;
  /** The notification handler's name. */
  handler?: string | undefined;
}

/** The activity type Temporal would use: `Request` or `Request:handler`. */
export function activityType(target: ActivityTarget): string {
  return target.handler ? `${target.request}${HANDLER_SEPARATOR}${target.handler}` : target.request;
}

/** What the simulated worker knows. */
export interface WorkerView {
  handlers: Handlers;
  logger: Logger;
  validate: Required<ValidateOptions>;
  clock: Clock;
}

/** One attempt of one activity. */
export interface AttemptRun {
  target: ActivityTarget;
  input: unknown;
  /** The payload's contract version. @default 1 */
  version?: number | undefined;
  metadata: Metadata;
  jobId: string;
  queue: string;
  attempt: number;
  signal: AbortSignal;
  console: JobConsole | undefined;
}

function lookup(
  handlers: Handlers,
  target: ActivityTarget,
): { entry: RegistryEntry; handler: AnyHandler } | undefined {
  const entry = handlers.get(target.request);
  const handler = target.handler ? entry?.notificationHandlers.get(target.handler) : entry?.handler;
  return entry && handler ? { entry, handler } : undefined;
}

/**
 * Runs the attempt; resolves with its outcome: the validated result, the handler's failure as the
 * worker would report it, or `cancelled` when the attempt's signal was aborted (cancel, close).
 */
export async function runAttempt(worker: WorkerView, run: AttemptRun): Promise<AttemptOutcome> {
  const { jobId, attempt, target } = run;
  const found = lookup(worker.handlers, target);
  if (!found) {
    // The worker's `default` activity: fail at once, naming what this worker serves.
    const err = new HandlerNotFoundError(activityType(target), worker.handlers.names(), {
      queue: run.queue,
      jobId,
      attempt,
    });
    return { status: 'failed', failure: { kind: 'error', info: describeFailure(err, attempt), thrown: err } };
  }
  const { entry, handler } = found;
  const workerLog = childLogger(worker.logger, {
    request: target.request,
    handler: target.handler,
    jobId,
    attempt,
    queue: run.queue,
  });
  const now = () => worker.clock.now();
  const log = teeLogger(workerLog, run.console, { now, attempt, handler: target.handler });
  const progress = (report: number | ProgressReport) => {
    if (run.console) run.console.progress = toProgress(report, now());
  };
  try {
    const parsed = await workerInput(entry.definition, run.input, {
      from: run.version,
      validate: worker.validate.input,
      jobId,
      attempt,
    });
    const result = await runHandler(
      worker.handlers,
      { entry, handler, handlerName: target.handler },
      parsed,
      {
        metadata: run.metadata,
        log,
        signal: run.signal,
        jobId,
        attempt,
        idempotencyKey: target.handler ? `${jobId}${HANDLER_SEPARATOR}${target.handler}` : jobId,
        progress,
      },
    );
    const value = worker.validate.output
      ? await parseOutput(entry.definition, result, { jobId, attempt })
      : result;
    return { status: 'completed', value };
  } catch (err) {
    // Aborted only by the job (cancel, close): whatever the handler threw then, the attempt was cancelled.
    if (run.signal.aborted) return { status: 'cancelled' };
    return { status: 'failed', failure: { kind: 'error', info: describeFailure(err, attempt), thrown: err } };
  }
}
