import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { translateJobError } from './failures.js';
import { LOGS_QUERY, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE, PROGRESS_QUERY } from '../workflows/constants.js';
import type { ConsoleLine, Progress } from './console.js';
import { decodeResult } from './results.js';
import { heartbeatProgress, newest } from './job-progress.js';
import type { RetryJobOptions } from './job-retry.js';
import { retryJob } from './job-retry.js';

/** The Keyword search attribute holding the request name. */
export const MEDIATOR_REQUEST = defineSearchAttributeKey(
  MEDIATOR_REQUEST_SEARCH_ATTRIBUTE,
  SearchAttributeType.KEYWORD,
);

/** Where a job is. `scheduled`: started with a delay that has not elapsed. */
export type JobStatus =
  | 'scheduled'
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed_out'
  | 'continued_as_new'
  | 'unknown';

/** What `describe()` reports. */
export interface JobDescription {
  id: string;
  runId: string;
  /** The request name (from the search attribute). */
  request: string | undefined;
  status: JobStatus;
  queue: string;
  /** The description (the Web UI summary). */
  description: string | undefined;
  startTime: Date;
  /** When the handler may start (later than `startTime` for delayed jobs). */
  executionTime: Date | undefined;
  closeTime: Date | undefined;
  /** Events in the job's history (0 on the standalone lane: one activity execution, no history). */
  historyLength: number;
  /** `'standalone'` for a job on the standalone lane; absent for workflow jobs (`'workflow'` and `'fast'` lanes). */
  lane?: 'standalone';
}

/** A job that lives on the server: its status, result and cancellation, from any process. */
export interface JobHandle<T = unknown> {
  /** The job id (workflow id). */
  readonly id: string;
  /** The request name, when known to this handle. */
  readonly request: string | undefined;
  /** The job's status. */
  status(): Promise<JobStatus>;
  /** Waits for and returns the result; throws the mediator's error classes on failure. */
  result(): Promise<T>;
  /** Requests cancellation; the handler sees its abort signal. */
  cancel(): Promise<void>;
  /** Status, queue, times and description. */
  describe(): Promise<JobDescription>;
  /** Deletes the job and its history (for cleanup before namespace retention does it). */
  delete(): Promise<void>;
  /**
   * The job's console: the handler's `ctx.log` lines (the last 1,000), from any process. Reading a
   * finished job's console needs a worker on its queue (Temporal answers the query by replay).
   */
  logs(): Promise<ConsoleLine[]>;
  /**
   * The latest `ctx.progress()` report, or `null` before the first one: the newer of what the job's
   * console shipped and what the running attempt's heartbeat carries (exact once the console's
   * shipments are spent).
   */
  progress(): Promise<Progress | null>;
  /**
   * Runs a failed, cancelled, terminated or timed-out job again with the same input and envelope,
   * as a new job `<id>~retry-<n>` linked to this one (`retryOf`), which stays for history; returns
   * the retry's handle. Idempotent: a job already retried returns its retry. From any process.
   * Throws `JobNotRetryableError` for a running, scheduled or completed job (nothing is started).
   *
   * @example
   * const again = await mediator.job(SendEmail, id).retry();
   * await again.result();
   */
  retry(options?: RetryJobOptions): Promise<JobHandle<T>>;
}

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

/** Creates a handle for a job id. `request` names the request when known (for error messages). */
export function createJobHandle<T>(client: Client, id: string, request?: string): JobHandle<T> {
  const handle = client.workflow.getHandle(id);
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
        // A handle made from a bare id learns its request name from the search attribute.
        const name =
          request ??
          (await describe().then(
            (d) => d.request,
            () => undefined,
          ));
        throw translateJobError(err, { request: name, jobId: id, address });
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
