/**
 * Finding and counting jobs on Temporal: one visibility query per filter (see `job-filter.ts`),
 * read page by page, so listing never loads everything.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { InvalidOptionError } from '../core/errors.js';
import type { JobFilter } from './filter.js';
import { EXECUTION_STATUS, toVisibilityQuery } from './filter.js';
import type { JobHandle, JobStatus } from './handle.js';
import { MEDIATOR_REQUEST, createJobHandle } from './handle.js';
import { RETRY_OF_MEMO } from './retry.js';

/** One job as listed: what visibility knows, plus a handle to act on it. */
export interface JobSummary<T = unknown> {
  /** The job id (workflow id). */
  id: string;
  /** The run (a job id re-used with `jobIdReuse` lists each run). */
  runId: string;
  /** The request name (the `MediatorRequest` search attribute). */
  request: string | undefined;
  status: JobStatus;
  queue: string;
  /**
   * The description (Web UI summary): Temporal's visibility does not hold it, so it is filled only
   * with `{ describe: true }` (one describe call per job); the in-memory backend always has it.
   */
  description: string | undefined;
  startTime: Date;
  /** When the handler may start (later than `startTime` for delayed jobs). */
  executionTime: Date | undefined;
  closeTime: Date | undefined;
  /** The id of the job this one retried (`job.retry()`), if it is a retry. */
  retryOf: string | undefined;
  /** A handle to the job (typed by the filter's definition when it names one). */
  job: JobHandle<T>;
}

/** How `jobs()` reads. */
export interface ListJobsOptions {
  /** Jobs fetched per visibility page. @default 100 */
  pageSize?: number;
  /** Stop after this many jobs. @default no limit */
  limit?: number;
  /** Fill `description` with one describe call per job (Temporal only). @default false */
  describe?: boolean;
}

/** Counts by status: what `countJobs(filter, { byStatus: true })` returns. */
export interface JobCounts {
  total: number;
  /** Jobs per status; statuses without jobs are absent. `scheduled` is split out of `running`. */
  byStatus: Partial<Record<JobStatus, number>>;
}

/** Options of `countJobs`. */
export interface CountJobsOptions {
  /** Return {@link JobCounts} (one grouped count, plus one for `scheduled`) instead of a number. @default false */
  byStatus?: boolean;
}

const STATUS_BY_NAME: Record<string, JobStatus> = Object.fromEntries(
  Object.entries(EXECUTION_STATUS).map(([status, name]) => [name.toUpperCase(), status as JobStatus]),
);
STATUS_BY_NAME.CANCELLED = 'cancelled';
STATUS_BY_NAME.TIMED_OUT = 'timed_out';
STATUS_BY_NAME.CONTINUED_AS_NEW = 'continued_as_new';

/** A job status from a listed workflow (`scheduled` while the start delay runs). */
export function statusOf(
  info: Pick<WorkflowExecutionInfo, 'status' | 'executionTime'>,
  now = Date.now(),
): JobStatus {
  const status = STATUS_BY_NAME[info.status.name] ?? 'unknown';
  return status === 'running' && info.executionTime && info.executionTime.getTime() > now
    ? 'scheduled'
    : status;
}

function positive(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, 'must be an integer >= 1');
  return value;
}

/** The jobs matching a filter, newest first, read one visibility page at a time. */
export async function* listJobs<T = unknown>(
  client: Client,
  filter: JobFilter = {},
  options: ListJobsOptions = {},
): AsyncGenerator<JobSummary<T>> {
  const pageSize = positive(options.pageSize, 'pageSize', 100);
  const limit = options.limit === undefined ? Infinity : positive(options.limit, 'limit', 1);
  const query = toVisibilityQuery(filter);
  let seen = 0;
  for await (const info of client.workflow.list({ query, pageSize })) {
    const request = info.typedSearchAttributes.get(MEDIATOR_REQUEST);
    const job = createJobHandle<T>(client, info.workflowId, request ?? undefined);
    const retryOf = info.memo?.[RETRY_OF_MEMO];
    yield {
      id: info.workflowId,
      runId: info.runId,
      request: request ?? undefined,
      status: statusOf(info),
      queue: info.taskQueue,
      description: options.describe ? (await job.describe()).description : undefined,
      startTime: info.startTime,
      executionTime: info.executionTime,
      closeTime: info.closeTime,
      retryOf: typeof retryOf === 'string' ? retryOf : undefined,
      job,
    };
    if (++seen >= limit) return;
  }
}

/** How many jobs match (approximate and eventually consistent, like every visibility read). */
export async function countJobs(client: Client, filter: JobFilter = {}): Promise<number> {
  return (await client.workflow.count(toVisibilityQuery(filter))).count;
}

/** Counts by status: one `GROUP BY ExecutionStatus` count, and one more to split `scheduled` out. */
export async function countJobsByStatus(client: Client, filter: JobFilter = {}): Promise<JobCounts> {
  const now = new Date();
  const query = toVisibilityQuery(filter, now);
  // The grouped count only knows Running; split `scheduled` out when the filter admits it.
  const wanted = filter.status === undefined || [filter.status].flat().includes('scheduled');
  const [grouped, scheduled] = await Promise.all([
    client.workflow.count(`${query} GROUP BY ExecutionStatus`),
    wanted ? client.workflow.count(toVisibilityQuery({ ...filter, status: 'scheduled' }, now)) : { count: 0 },
  ]);
  const byStatus: Partial<Record<JobStatus, number>> = {};
  for (const group of grouped.groups) {
    const name = String(group.groupValues[0] ?? '').toUpperCase();
    const status = STATUS_BY_NAME[name] ?? 'unknown';
    byStatus[status] = (byStatus[status] ?? 0) + group.count;
  }
  if (scheduled.count > 0) {
    byStatus.scheduled = scheduled.count;
    const running = (byStatus.running ?? 0) - scheduled.count;
    if (running > 0) byStatus.running = running;
    else delete byStatus.running;
  }
  return { total: grouped.count, byStatus };
}
