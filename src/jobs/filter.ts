/**
 * Which jobs `jobs()`, `countJobs()`, `retryJobs()` and `cancelJobs()` act on, and how a filter
 * becomes Temporal visibility queries: one over workflows (a workflow- or fast-lane job is an
 * `executeRequest` workflow carrying the `MediatorRequest` Keyword search attribute) and one over
 * standalone activities (a standalone-lane job carries the same attribute). The in-memory backend
 * matches the same filter.
 */
import type { RequestDefinition } from '../contracts/definitions.js';
import { InvalidOptionError } from '../core/errors.js';
import type { JobStatus } from './types.js';
import { EXECUTE_REQUEST_WORKFLOW, MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from '../../workflows/constants.js';

/** A request definition or its registered name. */
export type RequestRef = RequestDefinition | string;

/** Which jobs to find. Every field narrows the match (AND); array fields match any of their values. */
export interface JobFilter {
  /** The request(s) the jobs run: definitions or names. With one definition, summaries are typed by it. @default every request */
  request?: RequestRef | readonly RequestRef[];
  /**
   * The status(es). `'scheduled'` is a job whose start delay has not elapsed; `'running'` excludes
   * those. @default every status
   */
  status?: JobStatus | readonly JobStatus[];
  /** The task queue the job runs on. @default every queue */
  queue?: string;
  /** Jobs started at or after this time. @default no lower bound */
  startedAfter?: Date;
  /** Jobs started before this time. @default no upper bound */
  startedBefore?: Date;
  /** Jobs closed at or after this time (open jobs never match). @default no lower bound */
  closedAfter?: Date;
  /** Jobs closed before this time (open jobs never match). @default no upper bound */
  closedBefore?: Date;
  /**
   * Escape hatch: a Temporal visibility query ANDed with the rest, e.g. `"StartTime > '2026-01-01T00:00:00Z'"`.
   * It is ANDed into both lanes' queries: a standalone job is an activity without a `WorkflowId`,
   * so a `WorkflowId` clause matches workflow-lane jobs only.
   * Not supported by the in-memory backend (it throws `InvalidOptionError`).
   * @default none
   */
  query?: string;
}

/** Temporal's `ExecutionStatus` values, by job status. */
export const EXECUTION_STATUS: Record<Exclude<JobStatus, 'scheduled' | 'unknown'>, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
};

/** Statuses a job can be retried from. */
export const RETRYABLE_STATUSES: readonly JobStatus[] = ['failed', 'cancelled', 'terminated', 'timed_out'];

const ALL_STATUSES: readonly JobStatus[] = ['scheduled', ...(Object.keys(EXECUTION_STATUS) as JobStatus[])];

/** The names a filter's `request` field stands for (`undefined`: any). */
export function requestNames(filter: JobFilter): string[] | undefined {
  if (filter.request === undefined) return undefined;
  const refs: readonly RequestRef[] = Array.isArray(filter.request)
    ? (filter.request as readonly RequestRef[])
    : [filter.request as RequestRef];
  return refs.map((r) => {
    const name = typeof r === 'string' ? r : r?.name;
    if (typeof name !== 'string' || !name) {
      throw new InvalidOptionError('request', 'must be a request definition or a non-empty name');
    }
    return name;
  });
}

/** The statuses of a filter, checked (`undefined`: any). */
export function filterStatuses(filter: JobFilter): JobStatus[] | undefined {
  if (filter.status === undefined) return undefined;
  const list: JobStatus[] = Array.isArray(filter.status)
    ? [...(filter.status as readonly JobStatus[])]
    : [filter.status as JobStatus];
  for (const s of list) {
    if (!ALL_STATUSES.includes(s)) {
      throw new InvalidOptionError(
        'status',
        `unsupported status '${String(s)}'; supported: ${ALL_STATUSES.join(', ')}`,
      );
    }
  }
  return list;
}

/** A string literal of the visibility query language. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function time(value: Date | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidOptionError(option, 'must be a valid Date');
  }
  return quote(value.toISOString());
}

function statusClause(status: JobStatus, now: string): string {
  if (status === 'scheduled') return `(ExecutionStatus = 'Running' AND ExecutionTime > ${now})`;
  if (status === 'running') return `(ExecutionStatus = 'Running' AND ExecutionTime <= ${now})`;
  return `ExecutionStatus = ${quote(EXECUTION_STATUS[status as keyof typeof EXECUTION_STATUS])}`;
}

/** The clauses of a filter other than the one naming mediator jobs (shared by both lanes' queries). */
function filterClauses(filter: JobFilter, now: Date): string[] {
  const parts: string[] = [];
  const names = requestNames(filter);
  if (names) {
    parts.push(
      names.length === 1
        ? `${MEDIATOR_REQUEST_SEARCH_ATTRIBUTE} = ${quote(names[0]!)}`
        : `${MEDIATOR_REQUEST_SEARCH_ATTRIBUTE} IN (${names.map(quote).join(', ')})`,
    );
  }
  const statuses = filterStatuses(filter);
  if (statuses) {
    const at = quote(now.toISOString());
    parts.push(statuses.length ? `(${statuses.map((s) => statusClause(s, at)).join(' OR ')})` : 'false');
  }
  if (filter.queue !== undefined) parts.push(`TaskQueue = ${quote(filter.queue)}`);
  const bounds: [Date | undefined, string, string][] = [
    [filter.startedAfter, 'startedAfter', 'StartTime >='],
    [filter.startedBefore, 'startedBefore', 'StartTime <'],
    [filter.closedAfter, 'closedAfter', 'CloseTime >='],
    [filter.closedBefore, 'closedBefore', 'CloseTime <'],
  ];
  for (const [value, option, op] of bounds) {
    const t = time(value, option);
    if (t) parts.push(`${op} ${t}`);
  }
  if (filter.query !== undefined && filter.query.trim()) parts.push(`(${filter.query})`);
  return parts;
}

/**
 * The visibility query of a filter: always limited to mediator jobs (`WorkflowType = 'executeRequest'`).
 *
 * @example
 * toVisibilityQuery({ request: SendEmail, status: 'failed' })
 * // WorkflowType = 'executeRequest' AND MediatorRequest = 'SendEmail' AND ExecutionStatus = 'Failed'
 */
export function toVisibilityQuery(filter: JobFilter = {}, now = new Date()): string {
  return [`WorkflowType = ${quote(EXECUTE_REQUEST_WORKFLOW)}`, ...filterClauses(filter, now)].join(' AND ');
}

/**
 * The activity visibility query of a filter (the standalone lane's jobs, `ListActivityExecutions`):
 * the same clauses — standalone activities have `ExecutionStatus`, `ExecutionTime`, `StartTime`,
 * `CloseTime`, `TaskQueue` and the `MediatorRequest` search attribute — limited to mediator jobs by
 * that attribute (`MediatorRequest IS NOT NULL` when the filter names no request).
 *
 * @example
 * toActivityVisibilityQuery({ request: SendEmail, status: 'failed' })
 * // MediatorRequest = 'SendEmail' AND ExecutionStatus = 'Failed'
 */
export function toActivityVisibilityQuery(filter: JobFilter = {}, now = new Date()): string {
  const parts = filterClauses(filter, now);
  if (requestNames(filter) === undefined) parts.unshift(`${MEDIATOR_REQUEST_SEARCH_ATTRIBUTE} IS NOT NULL`);
  return parts.join(' AND ');
}

/** What the in-memory backend knows of a job, to match a filter against. */
export interface MatchableJob {
  request: string;
  status: JobStatus;
  queue: string;
  startTime: Date;
  closeTime: Date | undefined;
}

/** Whether a job matches a filter (the in-memory backend's visibility query). */
export function matchesFilter(filter: JobFilter, job: MatchableJob): boolean {
  if (filter.query !== undefined) {
    throw new InvalidOptionError(
      'query',
      'visibility queries need Temporal; the in-memory backend has none',
      {
        request: requestNames(filter)?.[0],
      },
    );
  }
  const names = requestNames(filter);
  if (names && !names.includes(job.request)) return false;
  const statuses = filterStatuses(filter);
  if (statuses && !statuses.includes(job.status)) return false;
  if (filter.queue !== undefined && job.queue !== filter.queue) return false;
  const start = job.startTime.getTime();
  const close = job.closeTime?.getTime();
  if (filter.startedAfter && start < filter.startedAfter.getTime()) return false;
  if (filter.startedBefore && start >= filter.startedBefore.getTime()) return false;
  if (filter.closedAfter && (close === undefined || close < filter.closedAfter.getTime())) return false;
  if (filter.closedBefore && (close === undefined || close >= filter.closedBefore.getTime())) return false;
  return true;
}
