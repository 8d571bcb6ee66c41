/**
 * Finding and counting jobs on Temporal: per filter one workflow visibility query (workflow- and
 * fast-lane jobs) and one activity visibility query (standalone-lane jobs, through the
 * {@link StandaloneJobSource} `client/lanes/standalone-jobs.ts` provides; none on a server without
 * standalone activities), read page by page and merged, so listing never loads everything.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { InvalidOptionError } from '../core/errors.js';
import type { JobFilter } from './filter.js';
import { EXECUTION_STATUS, toVisibilityQuery } from './filter.js';
import type { JobHandle, JobStatus } from './handle.js';
import { MEDIATOR_REQUEST, createJobHandle } from './handle.js';
import { RETRY_OF_MEMO } from './retry.js';
import { mergeByVisibilityOrder } from './merge.js';

/** One job as listed: what visibility knows, plus a handle to act on it. */
export interface JobSummary<T = unknown> {
  /** The job id (the workflow id; a standalone job's activity id). */
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
  /** `'standalone'` for a job on the standalone lane; absent for workflow jobs (`'workflow'` and `'fast'` lanes). */
  lane?: 'standalone';
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

/**
 * The standalone lane's side of the job operations. Its jobs are standalone activities, which the
 * client layer's lane code reads (`client/lanes/standalone-jobs.ts`); this layer may not import it,
 * so that module provides itself here when it loads (the Temporal mediator loads it with its lanes).
 */
export interface StandaloneJobSource {
  /** The standalone jobs matching a filter, in visibility order. */
  list<T>(
    client: Client,
    filter: JobFilter,
    options: { pageSize: number; describe?: boolean | undefined },
  ): AsyncGenerator<JobSummary<T>>;
  /** How many standalone jobs match. */
  count(client: Client, filter: JobFilter, now?: Date): Promise<number>;
  /** Standalone jobs per Temporal `ExecutionStatus` name, and their total. */
  countGrouped(
    client: Client,
    filter: JobFilter,
    now?: Date,
  ): Promise<{ total: number; groups: { status: string; count: number }[] }>;
  /** `retry()` of one standalone job: the retry's id, and whether this call started it. */
  retry(
    client: Client,
    id: string,
    request: string | undefined,
  ): Promise<{ retryId: string; started: boolean }>;
}

let standaloneSource: StandaloneJobSource | undefined;

/** Registers the standalone lane's side of the job operations (`client/lanes/standalone-jobs.ts`). */
export function provideStandaloneJobs(source: StandaloneJobSource): void {
  standaloneSource = source;
}

/** The standalone lane's side of the job operations, if loaded. */
export function standaloneJobs(): StandaloneJobSource | undefined {
  return standaloneSource;
}

async function* none<T>(): AsyncGenerator<T> {}

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

/**
 * The jobs matching a filter in Temporal's visibility order — open jobs first, then the most
 * recently closed; among equals the latest started — read one page at a time from each lane
 * (workflows and standalone activities) and merged in that order.
 */
export async function* listJobs<T = unknown>(
  client: Client,
  filter: JobFilter = {},
  options: ListJobsOptions = {},
): AsyncGenerator<JobSummary<T>> {
  const pageSize = positive(options.pageSize, 'pageSize', 100);
  const limit = options.limit === undefined ? Infinity : positive(options.limit, 'limit', 1);
  let seen = 0;
  const lanes = mergeByVisibilityOrder(
    listWorkflowJobs<T>(client, filter, { ...options, pageSize }),
    standaloneSource?.list<T>(client, filter, { pageSize, describe: options.describe }) ??
      none<JobSummary<T>>(),
  );
  for await (const summary of lanes) {
    yield summary;
    if (++seen >= limit) return;
  }
}

/** The workflow-lane jobs matching a filter, in visibility order. */
async function* listWorkflowJobs<T>(
  client: Client,
  filter: JobFilter,
  options: ListJobsOptions & { pageSize: number },
): AsyncGenerator<JobSummary<T>> {
  const query = toVisibilityQuery(filter);
  for await (const info of client.workflow.list({ query, pageSize: options.pageSize })) {
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
  }
}

/** How many jobs match, on both lanes (approximate and eventually consistent, like every visibility read). */
export async function countJobs(client: Client, filter: JobFilter = {}): Promise<number> {
  const [workflows, standalone] = await Promise.all([
    countWorkflowJobs(client, filter),
    standaloneSource?.count(client, filter) ?? 0,
  ]);
  return workflows + standalone;
}

/** How many workflow-lane jobs match. */
export async function countWorkflowJobs(client: Client, filter: JobFilter = {}): Promise<number> {
  return (await client.workflow.count(toVisibilityQuery(filter))).count;
}

/**
 * Counts by status, on both lanes: one `GROUP BY ExecutionStatus` count per lane, and one more per
 * lane to split `scheduled` out.
 */
export async function countJobsByStatus(client: Client, filter: JobFilter = {}): Promise<JobCounts> {
  const now = new Date();
  const query = toVisibilityQuery(filter, now);
  // The grouped count only knows Running; split `scheduled` out when the filter admits it.
  const wanted = filter.status === undefined || [filter.status].flat().includes('scheduled');
  const onlyScheduled = { ...filter, status: 'scheduled' as const };
  const [grouped, scheduled, standalone, standaloneScheduled] = await Promise.all([
    client.workflow.count(`${query} GROUP BY ExecutionStatus`),
    wanted ? client.workflow.count(toVisibilityQuery(onlyScheduled, now)) : { count: 0 },
    standaloneSource?.countGrouped(client, filter, now) ?? { total: 0, groups: [] },
    (wanted && standaloneSource?.count(client, onlyScheduled, now)) || 0,
  ]);
  const byStatus: Partial<Record<JobStatus, number>> = {};
  const add = (name: string, count: number) => {
    const status = STATUS_BY_NAME[name.toUpperCase()] ?? 'unknown';
    byStatus[status] = (byStatus[status] ?? 0) + count;
  };
  for (const group of grouped.groups) add(String(group.groupValues[0] ?? ''), group.count);
  for (const group of standalone.groups) add(group.status, group.count);
  const scheduledCount = scheduled.count + standaloneScheduled;
  if (scheduledCount > 0) {
    byStatus.scheduled = scheduledCount;
    const running = (byStatus.running ?? 0) - scheduledCount;
    if (running > 0) byStatus.running = running;
    else delete byStatus.running;
  }
  return { total: grouped.count + standalone.total, byStatus };
}
