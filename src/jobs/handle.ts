import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { translateJobError } from './from-failure.js';
import { LOGS_QUERY, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE, PROGRESS_QUERY } from '../../workflows/constants.js';
import type { ConsoleLine, Progress } from '../observability/console.js';
import { decodeResult } from '../core/results.js';
import { heartbeatProgress, newest } from './progress.js';
import type { JobDescription, JobHandle, JobStatus } from './types.js';
import { retryJob } from './retry.js';

/** The Keyword search attribute holding the request name. */
export const MEDIATOR_REQUEST = defineSearchAttributeKey(
  MEDIATOR_REQUEST_SEARCH_ATTRIBUTE,
  SearchAttributeType.KEYWORD,
);

export type { JobDescription, JobHandle, JobStatus } from './types.js';

const STATUS: Record<string, JobStatus> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'continued_as_new',
};

async function toDescription(id: string, d: WorkflowExecutionDescription): Promise<JobDescription> {
  let status = STATUS[d.status.name] ?? 'unknown';
  if (status === 'running' && d.executionTime && d.executionTime.getTime() > Date.now()) status = 'scheduled';
  const request = d.typedSearchAttributes.get(MEDIATOR_REQUEST);
  return {
    id,
    runId: d.runId,
    request: request ?? undefined,
    status,
    queue: d.taskQueue,
    description: await d.staticSummary(),
    startTime: d.startTime,
    executionTime: d.executionTime,
    closeTime: d.closeTime,
    historyLength: d.historyLength,
  };
}

/** The request of a job: as given, or (a handle made from a bare id) from its description; for error context. */
export async function requestName(
  request: string | undefined,
  describe: () => Promise<{ request?: string | undefined }>,
): Promise<string | undefined> {
  return (
    request ??
    describe().then(
      (d) => d.request,
      () => undefined,
    )
  );
}

/**
 * The `JobHandle` of a workflow-lane job: of the run `runId` when given (the handle a start returns;
 * `describe`, `logs`, `progress`, `result` and `cancel` all answer for that run, as on the other
 * lanes), else of the latest run with the id (`mediator.job(id)`).
 */
export function createJobHandle<T>(
  client: Client,
  id: string,
  request?: string,
  runId?: string,
): JobHandle<T> {
  const handle = client.workflow.getHandle(id, runId);
  const address = (client.connection as { options?: { address?: string } }).options?.address;
  const wrap = async <R>(op: () => Promise<R>): Promise<R> => {
    try {
      return await op();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw translateJobError(err, { request, jobId: id });
      throw err;
    }
  };
  const describe = () => wrap(async () => await toDescription(id, await handle.describe()));
  return {
    id,
    request,
    describe,
    status: async () => (await describe()).status,
    async result() {
      try {
        return decodeResult<T>(await handle.result());
      } catch (err) {
        throw translateJobError(err, { request: await requestName(request, describe), jobId: id, address });
      }
    },
    cancel: () => wrap(() => handle.cancel().then(() => undefined)),
    logs: () => wrap(async () => (await handle.query<{ lines: ConsoleLine[] }>(LOGS_QUERY)).lines),
    progress: () =>
      wrap(async () => {
        // The console's shipments may be spent: the running attempt's heartbeat has the latest report.
        const [shipped, live] = await Promise.all([
          handle.query<Progress | null>(PROGRESS_QUERY),
          heartbeatProgress(client, id).catch(() => undefined),
        ]);
        return newest(shipped, live);
      }),
    retry: async (options) => (await retryJob<T>(client, { id, request, options }, createJobHandle)).job,
    delete: () =>
      wrap(async () => {
        await client.workflowService.deleteWorkflowExecution({
          namespace: client.options.namespace,
          workflowExecution: { workflowId: id },
        });
      }),
  };
}
