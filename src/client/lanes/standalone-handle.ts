/**
 * `JobHandle` of a job on the standalone lane: the same interface over a standalone activity's
 * handle. Status, result (same error classes), cancel (the handler's abort signal, via its next
 * heartbeat), describe, progress (the heartbeat details), logs (the latest lines the heartbeat
 * details carry: there is no workflow to hold a console) and retry (a new standalone job).
 */
import type { Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { ConsoleLine, Progress } from '../../observability/console.js';
import type { MediatorErrorContext } from '../../core/errors.js';
import {
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  MediatorError,
  NotConfiguredError,
  errorMessage,
} from '../../core/errors.js';
import { ContractVersionError } from '../../contracts/versions.js';
import { CONTRACT_AHEAD_TYPE } from '../../../workflows/constants.js';
import { fromApplicationFailure, translateJobError } from '../../jobs/from-failure.js';
import type { JobDescription, JobHandle, JobStatus } from '../../jobs/handle.js';
import { MEDIATOR_REQUEST, requestName } from '../../jobs/handle.js';
import { decodePayload } from '../../core/payloads.js';
import { decodeResult } from '../../core/results.js';
import type { ActivityDescriptionLike, ActivityHandleLike } from './activity-client.js';
import { activityClient, isNamed } from './activity-client.js';
import { retryStandaloneJob } from './standalone-retry.js';

const STATUS: Record<string, JobStatus> = {
  RUNNING: 'running',
  // Paused by an operator: still open, resumes where it was.
  PAUSED: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
};

/** Heartbeat details the handler activity sends (see activities/index.ts). */
interface Details {
  progress?: Progress;
  lines?: ConsoleLine[];
}

/** Translates what a standalone activity's result throws into the mediator's error classes. */
export function translateStandaloneError(
  err: unknown,
  context: { request?: string | undefined; jobId: string; address?: string | undefined },
): MediatorError {
  if (err instanceof MediatorError) return err;
  const request = context.request ?? 'job';
  const ctx: MediatorErrorContext = { jobId: context.jobId, request: context.request, cause: err };
  if (isNamed(err, 'ActivityNotFoundError')) return new JobNotFoundError(context.jobId, ctx);
  if (!isNamed(err, 'ActivityExecutionFailedError')) return translateJobError(err, context);
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) {
    const kind =
      cause.timeoutType === 'HEARTBEAT'
        ? 'heartbeat'
        : cause.timeoutType === 'SCHEDULE_TO_CLOSE'
          ? 'job'
          : 'attempt';
    return new JobTimeoutError(request, kind, ctx);
  }
  if (cause instanceof CancelledFailure) return new JobCancelledError(context.request, ctx);
  if (cause instanceof ApplicationFailure && cause.type === CONTRACT_AHEAD_TYPE) {
    // No workflow to wait in for a newer worker: the standalone lane fails the job, handler not run.
    const v = (cause.details?.[0] ?? {}) as { fromVersion?: number; toVersion?: number };
    return new ContractVersionError(
      request,
      { from: v.fromVersion ?? 0, to: v.toVersion ?? 0 },
      { ...ctx, message: `${cause.message} (the standalone lane cannot wait for a newer worker)` },
    );
  }
  if (cause instanceof ApplicationFailure) return fromApplicationFailure(cause, request, ctx);
  if (cause instanceof TerminatedFailure)
    return new JobFailedError(context.request, `terminated: ${cause.message}`, ctx);
  return new JobFailedError(context.request, (cause as Error | undefined)?.message ?? err.message, ctx);
}

/**
 * Temporal caps an activity's attempt timeout at its schedule-to-close timeout (the job timeout) and
 * then reports the attempt's: when the cap applied, the job's budget is what ran out.
 */
async function jobBudgetTimeout(
  error: JobTimeoutError,
  handle: ActivityHandleLike,
): Promise<JobTimeoutError> {
  const d = (await handle.describe().catch(() => undefined)) as
    { startToCloseTimeoutMs?: number; scheduleToCloseTimeoutMs?: number } | undefined;
  const budget = d?.scheduleToCloseTimeoutMs;
  if (!budget || (d.startToCloseTimeoutMs ?? Infinity) < budget) return error;
  return new JobTimeoutError(error.request ?? 'job', 'job', { jobId: error.jobId, cause: error.cause });
}

async function toDescription(client: Client, d: ActivityDescriptionLike): Promise<JobDescription> {
  const executionTime =
    d.executionTime ??
    (d.scheduleTime && d.startDelayMs ? new Date(d.scheduleTime.getTime() + d.startDelayMs) : d.scheduleTime);
  let status = STATUS[d.status] ?? 'unknown';
  if (status === 'running' && !d.lastStartedTime && executionTime && executionTime.getTime() > Date.now())
    status = 'scheduled';
  const request = (d.typedSearchAttributes.get(MEDIATOR_REQUEST) as string | undefined) ?? d.activityType;
  const summary = await decodePayload<string>(client, d.rawInfo.userMetadata?.summary).catch(() => undefined);
  return {
    id: d.activityId,
    runId: d.activityRunId,
    request,
    status,
    queue: d.taskQueue,
    // No summary is sent when the description is the request name.
    description: summary ?? request,
    startTime: d.scheduleTime ?? new Date(0),
    executionTime,
    closeTime: d.closeTime,
    // One activity execution, no workflow history.
    historyLength: 0,
    lane: 'standalone',
  };
}

/**
 * Creates a handle for a job on the standalone lane: of the run `runId` when given (the handle a
 * start returns), else of the latest run with the id (`mediator.job(id)`).
 */
export function createStandaloneJobHandle<T>(
  client: Client,
  id: string,
  request?: string,
  runId?: string,
): JobHandle<T> {
  const handle = activityClient(client, request ?? 'job').getHandle(id, runId);
  const address = (client.connection as { options?: { address?: string } }).options?.address;
  const wrap = async <R>(op: () => Promise<R>): Promise<R> => {
    try {
      return await op();
    } catch (err) {
      if (isNamed(err, 'ActivityNotFoundError')) throw translateStandaloneError(err, { request, jobId: id });
      throw err;
    }
  };
  const details = () =>
    wrap(async () =>
      (await handle.describe({ includeHeartbeatDetails: true })).getHeartbeatDetails<Details>(),
    );
  const describe = () => wrap(async () => toDescription(client, await handle.describe()));
  return {
    id,
    request,
    describe,
    status: async () => (await describe()).status,
    async result() {
      try {
        return decodeResult<T>(await handle.result());
      } catch (err) {
        const error = translateStandaloneError(err, {
          request: await requestName(request, describe),
          jobId: id,
          address,
        });
        throw error instanceof JobTimeoutError && error.timeout === 'attempt'
          ? await jobBudgetTimeout(error, handle)
          : error;
      }
    },
    cancel: () =>
      wrap(async () => {
        try {
          await handle.cancel('cancelled through the mediator');
        } catch (err) {
          // A closed job: cancelling it changes nothing, as on the workflow lane.
          if (!/terminal state/i.test(errorMessage((err as { cause?: unknown }).cause ?? err))) throw err;
        }
      }),
    logs: async () => (await details())?.lines ?? [],
    progress: async () => (await details())?.progress ?? null,
    // A new standalone job `<id>~retry-<n>` with the original's start options (standalone-retry.ts).
    retry: async (options) =>
      (await wrap(() => retryStandaloneJob<T>(client, { id, request, options }, createStandaloneJobHandle)))
        .job,
    delete: () =>
      wrap(async () => {
        const service = client.workflowService as unknown as {
          deleteActivityExecution?: (r: { namespace: string; activityId: string }) => Promise<unknown>;
        };
        if (typeof service.deleteActivityExecution !== 'function') {
          throw new NotConfiguredError(
            `${request ?? 'job'}: this SDK cannot delete standalone jobs; namespace retention removes them`,
            { request, jobId: id },
          );
        }
        await service.deleteActivityExecution({ namespace: client.options.namespace, activityId: id });
      }),
  };
}
