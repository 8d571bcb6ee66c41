/**
 * Operating jobs from code — find, count, retry and cancel them — as one interface both backends
 * implement (the mediator facades delegate to it), and its Temporal implementation.
 */
import type { Client } from '@temporalio/client';
import type { OutputOf, RequestDefinition } from '../contracts/definitions.js';
import type { CancelJobsOptions, CancelJobsResult, RetryJobsOptions, RetryJobsResult } from './bulk.js';
import { cancelJobs, retryJobs } from './bulk.js';
import type { JobFilter } from './filter.js';
import type { CountJobsOptions, JobCounts, JobSummary, ListJobsOptions } from './list.js';
import { countJobs, countJobsByStatus, listJobs, standaloneJobs } from './list.js';
import { retryJob } from './retry.js';
import { createJobHandle } from './handle.js';

/** The job operations of a mediator (Temporal or in memory). */
export interface JobOperationsApi {
  /**
   * The jobs matching a filter, read page by page (never everything at once). With one definition
   * as `request`, summaries and their handles are typed by it. On Temporal these are two visibility
   * queries, workflows (workflow and fast lanes) and standalone activities (standalone lane, servers
   * >= 1.32; skipped where there are none), merged in Temporal's visibility order: open jobs first,
   * then the most recently closed. Eventually consistent: a job shows up shortly after it starts or
   * closes.
   *
   * @example
   * for await (const j of mediator.jobs({ request: SendEmail, status: 'failed', startedAfter: hourAgo })) {
   *   console.log(j.id, j.closeTime);
   * }
   */
  jobs<D extends RequestDefinition>(
    this: void,
    filter: JobFilter & { request: D },
    options?: ListJobsOptions,
  ): AsyncIterable<JobSummary<OutputOf<D>>>;
  jobs(this: void, filter?: JobFilter, options?: ListJobsOptions): AsyncIterable<JobSummary>;
  /**
   * How many jobs match (both lanes on Temporal); with `{ byStatus: true }`, per status.
   *
   * @example
   * const failed = await mediator.countJobs({ request: SendEmail, status: 'failed' });
   * const { byStatus } = await mediator.countJobs({ request: SendEmail }, { byStatus: true });
   */
  countJobs(
    this: void,
    filter?: JobFilter,
    options?: CountJobsOptions & { byStatus?: false },
  ): Promise<number>;
  countJobs(
    this: void,
    filter: JobFilter | undefined,
    options: CountJobsOptions & { byStatus: true },
  ): Promise<JobCounts>;
  /**
   * Retries (`job.retry()`) every failed, cancelled, terminated or timed-out job the filter matches
   * (the filter's statuses are narrowed to those). Idempotent: a job already retried is reported in
   * `alreadyRetried`. `{ dryRun: true }` only counts.
   *
   * @example
   * const { matched } = await mediator.retryJobs({ request: SendEmail, status: 'failed' }, { dryRun: true });
   * const { retried } = await mediator.retryJobs({ request: SendEmail, status: 'failed' });
   */
  retryJobs(this: void, filter: JobFilter, options?: RetryJobsOptions): Promise<RetryJobsResult>;
  /**
   * Requests cancellation of every open (running or scheduled) job the filter matches: on Temporal
   * one batch operation for the workflow-lane jobs (`operationId`, followed with
   * `batchOperation(id)`), and the standalone-lane jobs one by one before it returns (batch
   * operations do not reach standalone activities). `{ dryRun: true }` only counts.
   */
  cancelJobs(this: void, filter: JobFilter, options?: CancelJobsOptions): Promise<CancelJobsResult>;
}

/** The Temporal implementation; `client()` is called per operation (API-only mediators throw then). */
export function temporalJobOperations(client: () => Client): JobOperationsApi {
  return {
    jobs: ((filter?: JobFilter, options?: ListJobsOptions) => {
      const c = client();
      return listJobs(c, filter, options);
    }) as JobOperationsApi['jobs'],
    countJobs: (async (filter?: JobFilter, options?: CountJobsOptions) =>
      options?.byStatus
        ? countJobsByStatus(client(), filter)
        : countJobs(client(), filter)) as JobOperationsApi['countJobs'],
    retryJobs: (filter, options = {}) => {
      const c = client();
      return retryJobs(c, filter, {
        ...options,
        retryOne: async (id, request, lane) => {
          const standalone = lane === 'standalone' ? standaloneJobs() : undefined;
          if (standalone) return standalone.retry(c, id, request);
          const { job, started } = await retryJob(c, { id, request }, createJobHandle);
          return { retryId: job.id, started };
        },
      });
    },
    cancelJobs: (filter, options) => cancelJobs(client(), filter, options),
  };
}
