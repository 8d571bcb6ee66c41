/**
 * The standalone lane's side of `jobs()`, `countJobs()`, `retryJobs()` and `cancelJobs()`: its jobs
 * are standalone activities, read from the activity visibility (`ListActivityExecutions`,
 * `CountActivityExecutions`, server >= 1.32) with the filter's activity query
 * (`toActivityVisibilityQuery`). A server without standalone activities (UNIMPLEMENTED before 1.32,
 * disabled by dynamic config on 1.32) or an SDK without the calls has no standalone jobs: these then
 * read nothing and report none, and the server is asked again after a minute. Loading this module
 * provides it to the job operations (`provideStandaloneJobs`: `jobs/` may not import `client/`).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import type { JobFilter } from '../../jobs/filter.js';
import { toActivityVisibilityQuery } from '../../jobs/filter.js';
import type { JobSummary } from '../../jobs/list.js';
import { provideStandaloneJobs } from '../../jobs/list.js';
import { parseRetryId } from '../../jobs/retry.js';
import type { JobStatus } from '../../jobs/types.js';
import { MEDIATOR_REQUEST_SEARCH_ATTRIBUTE } from '../../../workflows/constants.js';
import { isStandaloneUnsupported } from './activity-client.js';
import { createStandaloneJobHandle } from './standalone-handle.js';
import { longToNumber, retryOfHeader, retryStandaloneJob } from './standalone-retry.js';

interface Timestamp {
  seconds?: unknown;
  nanos?: number | null;
}

interface RawListInfo {
  activityId?: string | null;
  runId?: string | null;
  activityType?: { name?: string | null } | null;
  scheduleTime?: Timestamp | null;
  executionTime?: Timestamp | null;
  closeTime?: Timestamp | null;
  status?: number | null;
  taskQueue?: string | null;
  searchAttributes?: { indexedFields?: Record<string, Payload> | null } | null;
}

/** The activity visibility calls, typed structurally (older SDKs' services have none). */
interface ActivityVisibility {
  listActivityExecutions(request: {
    namespace: string;
    query: string;
    pageSize: number;
    nextPageToken?: Uint8Array | null;
  }): Promise<{ executions?: RawListInfo[] | null; nextPageToken?: Uint8Array | null }>;
  countActivityExecutions(request: { namespace: string; query: string }): Promise<{
    count?: unknown;
    groups?: { count?: unknown; groupValues?: Payload[] | null }[] | null;
  }>;
}

/** `temporal.api.enums.v1.ActivityExecutionStatus`, by number. */
const STATUS: Record<number, JobStatus> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'cancelled',
  5: 'terminated',
  6: 'timed_out',
  // Paused by an operator: still open.
  7: 'running',
};

/** Clients whose server has no standalone activities, and since when (asked again after a minute). */
const missing = new WeakMap<Client, number>();
const RECHECK_MS = 60_000;

function visibility(client: Client): ActivityVisibility | undefined {
  const service = client.workflowService as unknown as Partial<ActivityVisibility>;
  if (typeof service.listActivityExecutions !== 'function') return undefined;
  if (typeof service.countActivityExecutions !== 'function') return undefined;
  const since = missing.get(client);
  if (since !== undefined && Date.now() - since < RECHECK_MS) return undefined;
  return service as ActivityVisibility;
}

/** Runs a visibility call; `undefined` (and the server remembered) when it has no standalone activities. */
async function orMissing<R>(client: Client, call: () => Promise<R>): Promise<R | undefined> {
  try {
    return await call();
  } catch (err) {
    if (!isStandaloneUnsupported(err)) throw err;
    missing.set(client, Date.now());
    return undefined;
  }
}

function toDate(t: Timestamp | null | undefined): Date | undefined {
  if (!t) return undefined;
  return new Date(longToNumber(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

function decode(payload: Payload | undefined): unknown {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
}

/** The job status of a listed activity (`scheduled` while its start delay runs). */
export function activityStatus(
  info: Pick<RawListInfo, 'status' | 'executionTime'>,
  now = Date.now(),
): JobStatus {
  const status = STATUS[info.status ?? 0] ?? 'unknown';
  const executionTime = toDate(info.executionTime);
  return status === 'running' && executionTime && executionTime.getTime() > now ? 'scheduled' : status;
}

/**
 * The standalone jobs matching a filter, in the activity visibility's order (open ones first, then
 * the most recently closed), one page at a time. `retryOf` costs one describe, only for ids of the
 * `~retry-<n>` form (or with `describe`, which fills `description` too).
 */
export async function* listStandaloneJobs<T = unknown>(
  client: Client,
  filter: JobFilter,
  options: { pageSize: number; describe?: boolean },
): AsyncGenerator<JobSummary<T>> {
  const service = visibility(client);
  if (!service) return;
  const query = toActivityVisibilityQuery(filter);
  const namespace = client.options.namespace;
  let nextPageToken: Uint8Array | null | undefined;
  do {
    const page = await orMissing(client, () =>
      service.listActivityExecutions({ namespace, query, pageSize: options.pageSize, nextPageToken }),
    );
    if (!page) return;
    for (const info of page.executions ?? []) {
      const id = info.activityId ?? '';
      const named = decode(info.searchAttributes?.indexedFields?.[MEDIATOR_REQUEST_SEARCH_ATTRIBUTE]);
      const request = typeof named === 'string' ? named : (info.activityType?.name ?? undefined);
      const job = createStandaloneJobHandle<T>(client, id, request);
      const needsDescribe = options.describe || parseRetryId(id).n > 0;
      const described = needsDescribe ? await describeRaw(client, id) : undefined;
      yield {
        id,
        runId: info.runId ?? '',
        request,
        status: activityStatus(info),
        queue: info.taskQueue ?? '',
        description: options.describe ? (await job.describe()).description : undefined,
        startTime: toDate(info.scheduleTime) ?? new Date(0),
        executionTime: toDate(info.executionTime),
        closeTime: toDate(info.closeTime),
        retryOf: retryOfHeader(described?.header),
        lane: 'standalone',
        job,
      };
    }
    nextPageToken = page.nextPageToken;
  } while (nextPageToken && nextPageToken.length > 0);
}

async function describeRaw(
  client: Client,
  activityId: string,
): Promise<{ header?: { fields?: Record<string, Payload> | null } | null } | undefined> {
  const service = client.workflowService as unknown as {
    describeActivityExecution(r: { namespace: string; activityId: string }): Promise<{
      info?: { header?: { fields?: Record<string, Payload> | null } | null } | null;
    }>;
  };
  const d = await service
    .describeActivityExecution({ namespace: client.options.namespace, activityId })
    .catch(() => undefined);
  return d?.info ?? undefined;
}

/** How many standalone jobs match a filter (0 on a server without standalone activities). */
export async function countStandaloneJobs(client: Client, filter: JobFilter, now?: Date): Promise<number> {
  const service = visibility(client);
  if (!service) return 0;
  const query = toActivityVisibilityQuery(filter, now);
  const namespace = client.options.namespace;
  const out = await orMissing(client, () => service.countActivityExecutions({ namespace, query }));
  return longToNumber(out?.count);
}

/** A group value of `GROUP BY ExecutionStatus`: the status name (possibly in a one-item list). */
function groupStatus(value: unknown): string {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Standalone jobs per Temporal `ExecutionStatus` name (`Running`, `Failed`…), and their total. */
export async function countStandaloneJobsGrouped(
  client: Client,
  filter: JobFilter,
  now?: Date,
): Promise<{ total: number; groups: { status: string; count: number }[] }> {
  const service = visibility(client);
  if (!service) return { total: 0, groups: [] };
  const query = `${toActivityVisibilityQuery(filter, now)} GROUP BY ExecutionStatus`;
  const namespace = client.options.namespace;
  const out = await orMissing(client, () => service.countActivityExecutions({ namespace, query }));
  return {
    total: longToNumber(out?.count),
    groups: (out?.groups ?? []).map((g) => ({
      status: groupStatus(decode(g.groupValues?.[0] ?? undefined)),
      count: longToNumber(g.count),
    })),
  };
}

provideStandaloneJobs({
  list: listStandaloneJobs,
  count: countStandaloneJobs,
  countGrouped: countStandaloneJobsGrouped,
  async retry(client, id, request) {
    const { job, started } = await retryStandaloneJob(client, { id, request }, createStandaloneJobHandle);
    return { retryId: job.id, started };
  },
});
