/**
 * Bulk operations on Temporal. `cancelJobs` is one server-side batch operation (Temporal's
 * `StartBatchOperation` over the filter's visibility query) for the workflow-lane jobs: it returns
 * at once with an operation id to follow; batch operations do not reach standalone activities, so
 * the standalone-lane jobs are cancelled one by one before it returns. `retryJobs` is a client-side
 * loop over the listing (both lanes): Temporal's batch operations cannot start new workflows (only
 * cancel, terminate, signal, delete, reset), and a batch reset is not the retry the mediator offers
 * (see `retry.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { InvalidOptionError, toError } from '../core/errors.js';
import type { JobFilter } from './filter.js';
import { RETRYABLE_STATUSES, filterStatuses, requestNames, toVisibilityQuery } from './filter.js';
import { countJobs, countWorkflowJobs, listJobs, standaloneJobs } from './list.js';
import type { JobStatus } from './handle.js';
import { proto } from '../sdk/proto.js';

/** Options of `retryJobs`. */
export interface RetryJobsOptions {
  /** Only count what would be retried; nothing is started. @default false */
  dryRun?: boolean;
  /** Retries started at the same time. @default 10 */
  concurrency?: number;
  /** Retry at most this many jobs. @default no limit */
  limit?: number;
}

/** What `retryJobs` did. */
export interface RetryJobsResult {
  /** Jobs the filter matched (with `dryRun`, from a count: approximate, like every visibility read). */
  matched: number;
  /** New retries started: original id and retry id. Empty with `dryRun`. */
  retried: { id: string; retryId: string }[];
  /** Jobs whose retry already existed (retried before, or listed with their own failed retry). */
  alreadyRetried: { id: string; retryId: string }[];
  /** Jobs whose retry failed to start, with the error. */
  errors: { id: string; error: Error }[];
  dryRun: boolean;
}

/** Options of `cancelJobs`. */
export interface CancelJobsOptions {
  /** Only count what would be cancelled. @default false */
  dryRun?: boolean;
  /** Recorded with the batch operation (Web UI, `temporal batch describe`). @default 'cancelJobs' */
  reason?: string;
}

/** What `cancelJobs` did. */
export interface CancelJobsResult {
  /** Open jobs the filter matched (a count: approximate, like every visibility read). */
  matched: number;
  /**
   * The Temporal batch operation cancelling them (`mediator.batchOperation(id)`, `temporal batch
   * describe --job-id`); `undefined` with `dryRun`, with nothing to cancel, and in memory.
   */
  operationId: string | undefined;
  dryRun: boolean;
}

/** A batch operation's progress. */
export interface BatchOperationStatus {
  operationId: string;
  state: 'running' | 'completed' | 'failed' | 'unspecified';
  total: number;
  completed: number;
  failed: number;
}

/** Intersects a filter's statuses with the ones an operation acts on; at least one must remain. */
export function narrowStatuses(
  filter: JobFilter,
  allowed: readonly JobStatus[],
  operation: string,
): JobFilter {
  const statuses = filterStatuses(filter);
  const kept = statuses ? statuses.filter((s) => allowed.includes(s)) : [...allowed];
  if (!kept.length) {
    throw new InvalidOptionError('status', `${operation} acts on ${allowed.join(', ')} jobs only`, {
      request: requestNames(filter)?.[0],
    });
  }
  return { ...filter, status: kept };
}

function positive(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, 'must be an integer >= 1');
  return value;
}

/** One retry of a bulk retry: what `retryJob` reports for one listed job (of `lane`, when standalone). */
export type RetryOne = (
  id: string,
  request: string | undefined,
  lane?: 'standalone',
) => Promise<{ retryId: string; started: boolean }>;

/** Runs `retryOne` over listed ids, `concurrency` at a time, and sorts the outcomes. */
export async function retryEach(
  ids: AsyncIterable<{ id: string; request: string | undefined; lane?: 'standalone' }>,
  retryOne: RetryOne,
  options: { concurrency: number; result: RetryJobsResult },
): Promise<RetryJobsResult> {
  const { result } = options;
  let batch: Promise<void>[] = [];
  for await (const { id, request, lane } of ids) {
    result.matched++;
    batch.push(
      retryOne(id, request, lane).then(
        ({ retryId, started }) =>
          void (started ? result.retried : result.alreadyRetried).push({ id, retryId }),
        (err: unknown) => void result.errors.push({ id, error: toError(err) }),
      ),
    );
    if (batch.length >= options.concurrency) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return result;
}

/** Retries every failed, cancelled, terminated or timed-out job the filter matches. */
export async function retryJobs(
  client: Client,
  filter: JobFilter,
  options: RetryJobsOptions & { retryOne: RetryOne },
): Promise<RetryJobsResult> {
  const narrowed = narrowStatuses(filter, RETRYABLE_STATUSES, 'retryJobs');
  const concurrency = positive(options.concurrency, 'concurrency', 10);
  const limit = options.limit === undefined ? undefined : positive(options.limit, 'limit', 1);
  const result: RetryJobsResult = {
    matched: 0,
    retried: [],
    alreadyRetried: [],
    errors: [],
    dryRun: !!options.dryRun,
  };
  if (options.dryRun) {
    const count = await countJobs(client, narrowed);
    return { ...result, matched: limit === undefined ? count : Math.min(count, limit) };
  }
  return retryEach(listJobs(client, narrowed, { limit }), options.retryOne, { concurrency, result });
}

const { temporal } = proto;
const STATES: Record<number, BatchOperationStatus['state']> = {
  [temporal.api.enums.v1.BatchOperationState.BATCH_OPERATION_STATE_RUNNING]: 'running',
  [temporal.api.enums.v1.BatchOperationState.BATCH_OPERATION_STATE_COMPLETED]: 'completed',
  [temporal.api.enums.v1.BatchOperationState.BATCH_OPERATION_STATE_FAILED]: 'failed',
};

/** Cancels every open (running or scheduled) job the filter matches, as one batch operation. */
export async function cancelJobs(
  client: Client,
  filter: JobFilter,
  options: CancelJobsOptions = {},
): Promise<CancelJobsResult> {
  const narrowed = narrowStatuses(filter, ['running', 'scheduled'], 'cancelJobs');
  // One clause for both: a job whose delay elapses between count and batch is still cancelled.
  const open = {
    ...narrowed,
    status: undefined,
    query: joinQuery(narrowed.query, "ExecutionStatus = 'Running'"),
  };
  const wantsAll = (narrowed.status as JobStatus[]).length === 2;
  const target = wantsAll ? open : narrowed;
  const source = standaloneJobs();
  const [workflows, standalone] = await Promise.all([
    countWorkflowJobs(client, target),
    source?.count(client, target) ?? 0,
  ]);
  const matched = workflows + standalone;
  if (options.dryRun || matched === 0) return { matched, operationId: undefined, dryRun: !!options.dryRun };
  // No batch operation reaches standalone activities: cancelled here, one by one.
  if (source && standalone > 0) {
    for await (const job of source.list(client, target, { pageSize: 100 }))
      await job.job.cancel().catch(() => undefined);
  }
  if (workflows === 0) return { matched, operationId: undefined, dryRun: false };
  const operationId = `cancelJobs-${randomUUID()}`;
  try {
    await client.workflowService.startBatchOperation({
      namespace: client.options.namespace,
      jobId: operationId,
      reason: options.reason ?? 'cancelJobs',
      visibilityQuery: toVisibilityQuery(target),
      cancellationOperation: { identity: client.options.identity },
    });
  } catch (err) {
    // RESOURCE_EXHAUSTED: the namespace's concurrent batch operations are taken (the dev server
    // allows one); UNIMPLEMENTED: no batcher. Cancel one by one instead.
    const code = (err as { code?: number }).code;
    if (code !== 8 && code !== 12) throw err;
    for await (const job of listJobs(client, target))
      if (job.lane !== 'standalone') await job.job.cancel().catch(() => undefined);
    return { matched, operationId: undefined, dryRun: false };
  }
  return { matched, operationId, dryRun: false };
}

function joinQuery(a: string | undefined, b: string): string {
  return a && a.trim() ? `(${a}) AND ${b}` : b;
}

/** A batch operation's state and counts (`cancelJobs`' `operationId`). */
export async function describeBatchOperation(
  client: Client,
  operationId: string,
): Promise<BatchOperationStatus> {
  const d = await client.workflowService.describeBatchOperation({
    namespace: client.options.namespace,
    jobId: operationId,
  });
  return {
    operationId,
    state: STATES[d.state] ?? 'unspecified',
    total: Number(d.totalOperationCount ?? 0),
    completed: Number(d.completeOperationCount ?? 0),
    failed: Number(d.failureOperationCount ?? 0),
  };
}
