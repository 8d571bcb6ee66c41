/**
 * `job.retry()` in memory: the Temporal path's semantics (see `src/jobs/retry.ts`) over the store —
 * a new job `<id>~retry-<n>` with the original's envelope, queue, description and job timeout.
 */
import { JobNotFoundError } from '../core/errors.js';
import type { JobHandle } from '../jobs/handle.js';
import type { RetryJobOptions, RetryOutcome } from '../jobs/retry.js';
import { JobNotRetryableError, isRetryable, parseRetryId } from '../jobs/retry.js';
import type { JobLookup } from './lookup.js';

/** How the in-memory retry makes handles (passed in: the handle module calls this one). */
export type InMemoryHandleFactory = <T>(jobs: JobLookup, id: string, request?: string) => JobHandle<T>;

/** Retries a failed, cancelled, terminated or timed-out in-memory job. */
export function retryInMemory<T>(
  jobs: JobLookup,
  original: { id: string; request: string | undefined; options?: RetryJobOptions },
  handleFor: InMemoryHandleFactory,
): RetryOutcome<T> {
  const { id, options = {} } = original;
  const job = jobs.get(id);
  if (!job) throw new JobNotFoundError(id, { request: original.request, jobId: id });
  const request = original.request ?? job.request;
  const status = job.status();
  if (!isRetryable(status)) throw new JobNotRetryableError(request, id, status);
  const start = (retryId: string): RetryOutcome<T> => {
    if (jobs.get(retryId)) return { job: handleFor<T>(jobs, retryId, request), started: false };
    jobs.relaunch(job, retryId, options.queue);
    return { job: handleFor<T>(jobs, retryId, request), started: true };
  };
  if (options.jobId !== undefined) return start(options.jobId);
  const { root, n } = parseRetryId(id);
  for (let k = n + 1; k <= n + 100; k++) {
    const retryId = `${root}~retry-${k}`;
    const existing = jobs.get(retryId);
    if (!existing) return start(retryId);
    if (!isRetryable(existing.status())) return { job: handleFor<T>(jobs, retryId, request), started: false };
  }
  throw new JobNotRetryableError(request, id, status);
}
