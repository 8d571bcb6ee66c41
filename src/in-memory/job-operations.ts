/**
 * `jobs`, `countJobs`, `retryJobs` and `cancelJobs` over the in-memory store, with the Temporal
 * path's filters and results (no visibility lag; `query` is refused: there is no visibility store).
 */
import type { CancelJobsOptions, RetryJobsResult } from '../jobs/bulk.js';
import { narrowStatuses, retryEach } from '../jobs/bulk.js';
import type { JobFilter } from '../jobs/filter.js';
import { RETRYABLE_STATUSES, matchesFilter } from '../jobs/filter.js';
import type { JobCounts, JobSummary, ListJobsOptions } from '../jobs/list.js';
import type { JobOperationsApi } from '../jobs/operations.js';
import { InvalidOptionError, toError } from '../core/errors.js';
import type { JobStatus } from '../jobs/handle.js';
import type { InMemoryJob } from './job.js';
import { createInMemoryJobHandle } from './job-handle.js';
import { retryInMemory } from './job-retry.js';
import type { JobStore } from './store.js';

function matching(store: JobStore, filter: JobFilter = {}): InMemoryJob[] {
  return store
    .list()
    .map((job) => ({ job, status: job.status() }))
    .filter(({ job, status }) => matchesFilter(filter, { ...job, request: job.request, status }))
    .map(({ job }) => job)
    .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
}

function summary(store: JobStore, job: InMemoryJob): JobSummary {
  return {
    ...job.facts(),
    retryOf: job.retryOf,
    job: createInMemoryJobHandle(store, job.jobId, job.request),
  };
}

function limitOf(value: number | undefined, option: string): number {
  if (value === undefined) return Infinity;
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, 'must be an integer >= 1');
  return value;
}

/** An async iterable over items computed when iteration starts (as Temporal reads its first page then). */
function lazy<T>(items: () => T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let list: T[] | undefined;
      let i = 0;
      return {
        next(): Promise<IteratorResult<T>> {
          list ??= items();
          return Promise.resolve(
            i < list.length ? { value: list[i++]!, done: false } : { value: undefined, done: true },
          );
        },
      };
    },
  };
}

function list(store: JobStore, filter?: JobFilter, options: ListJobsOptions = {}): AsyncIterable<JobSummary> {
  limitOf(options.pageSize, 'pageSize');
  const limit = limitOf(options.limit, 'limit');
  return lazy(() =>
    matching(store, filter)
      .slice(0, limit)
      .map((job) => summary(store, job)),
  );
}

function counts(store: JobStore, filter?: JobFilter): JobCounts {
  const byStatus: Partial<Record<JobStatus, number>> = {};
  const jobs = matching(store, filter);
  for (const job of jobs) byStatus[job.status()] = (byStatus[job.status()] ?? 0) + 1;
  return { total: jobs.length, byStatus };
}

/** The in-memory implementation, over a store. */
export function inMemoryJobOperations(store: JobStore): JobOperationsApi {
  return {
    jobs: ((filter?: JobFilter, options?: ListJobsOptions) => {
      // Checked now, as the Temporal path builds its query now.
      if (filter)
        matchesFilter(
          { ...filter },
          { request: '', status: 'unknown', queue: '', startTime: new Date(0), closeTime: undefined },
        );
      return list(store, filter, options);
    }) as JobOperationsApi['jobs'],
    countJobs: ((filter?: JobFilter, options?: { byStatus?: boolean }) => {
      try {
        const c = counts(store, filter);
        return Promise.resolve(options?.byStatus ? c : c.total);
      } catch (err) {
        return Promise.reject(toError(err));
      }
    }) as JobOperationsApi['countJobs'],
    async retryJobs(filter, options = {}) {
      const narrowed = narrowStatuses(filter, RETRYABLE_STATUSES, 'retryJobs');
      const concurrency = limitOf(options.concurrency, 'concurrency');
      const limit = limitOf(options.limit, 'limit');
      const jobs = matching(store, narrowed).slice(0, limit);
      const result: RetryJobsResult = {
        matched: 0,
        retried: [],
        alreadyRetried: [],
        errors: [],
        dryRun: !!options.dryRun,
      };
      if (options.dryRun) return { ...result, matched: jobs.length };
      return retryEach(
        lazy(() => jobs.map((job) => ({ id: job.jobId, request: job.request }))),
        (id, request) => {
          const { job, started } = retryInMemory(store, { id, request }, createInMemoryJobHandle);
          return Promise.resolve({ retryId: job.id, started });
        },
        { concurrency: concurrency === Infinity ? 10 : concurrency, result },
      );
    },
    cancelJobs(filter, options: CancelJobsOptions = {}) {
      const narrowed = narrowStatuses(filter, ['running', 'scheduled'], 'cancelJobs');
      const jobs = matching(store, narrowed);
      if (!options.dryRun) for (const job of jobs) job.cancel();
      return Promise.resolve({ matched: jobs.length, operationId: undefined, dryRun: !!options.dryRun });
    },
  };
}
