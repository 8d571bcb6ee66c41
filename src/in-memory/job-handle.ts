/** The `JobHandle` over an in-memory job: status, result (or the outcome's error), cancel, retry. */
import { JobNotFoundError, toError } from '../core/errors.js';
import type { JobHandle } from '../jobs/handle.js';
import { decodeResult } from '../core/results.js';
import type { InMemoryJob } from './job.js';
import { retryInMemory } from './job-retry.js';
import type { JobLookup } from './lookup.js';
import { outcomeError } from './outcome.js';

/**
 * A `JobHandle` over an in-memory job; like Temporal's, it looks the job up on every call (gone after
 * the retention). With `pinned` (the handle a start returns) it answers for that job even once a
 * rerun under the same id holds the id, as a Temporal handle from a start stays on its run.
 */
export function createInMemoryJobHandle<T>(
  jobs: JobLookup,
  id: string,
  request?: string,
  pinned?: InMemoryJob,
): JobHandle<T> {
  const find = (): InMemoryJob => {
    const job = jobs.get(id);
    if (!job) throw new JobNotFoundError(id, { request, jobId: id });
    return pinned ?? job;
  };
  return {
    id,
    request,
    describe: () =>
      attempt(() => {
        const job = find();
        return { ...job.facts(), id, historyLength: job.historyLength };
      }),
    status: () => attempt(() => find().status()),
    async result() {
      const job = await attempt(find);
      const outcome = await job.outcome();
      if (outcome.status === 'completed') return decodeResult<T>(outcome.value);
      throw outcomeError(outcome, { request: request ?? job.request, jobId: id });
    },
    cancel: () => attempt(() => find().cancel()),
    logs: () => attempt(() => [...(find().console?.lines ?? [])]),
    progress: () => attempt(() => find().console?.progress ?? null),
    retry: (options) =>
      attempt(() => retryInMemory<T>(jobs, { id, request, options }, createInMemoryJobHandle).job),
    delete: () =>
      attempt(() => {
        const job = find();
        job.terminate('Workflow execution deleted');
        jobs.delete(job);
      }),
  };
}

/** Runs synchronously, reporting errors as a rejected promise (handles are async on Temporal). */
function attempt<R>(op: () => R): Promise<R> {
  try {
    return Promise.resolve(op());
  } catch (err) {
    return Promise.reject(toError(err));
  }
}
