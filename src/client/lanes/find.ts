import type { Client } from '@temporalio/client';
import { MediatorError } from '../../core/errors.js';
import type { JobHandle } from '../../jobs/handle.js';
import { createJobHandle } from '../../jobs/handle.js';
import { hasActivityClient } from './activity-client.js';
import { createStandaloneJobHandle } from './standalone-handle.js';

type Op = Exclude<keyof JobHandle, 'id' | 'request'>;

function isNotFound(err: unknown): boolean {
  return err instanceof MediatorError && err.code === 'JOB_NOT_FOUND';
}

/** A server (or SDK) without standalone activities has no standalone job of that id either. */
function isLaneMissing(err: unknown): boolean {
  return err instanceof MediatorError && err.code === 'LANE_UNSUPPORTED';
}

/**
 * gRPC UNIMPLEMENTED anywhere in the cause chain (the SDK's ServiceError, or the ConnectionError it
 * was translated into): a server without standalone activities (e.g. 1.29) has no such job either.
 */
function isUnimplemented(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    if ((e as { code?: unknown }).code === 12) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A handle to a job by id, whichever lane it runs on (`mediator.job(id)` from any process): each
 * call goes to the workflow with that id, and once Temporal says there is none, to the standalone
 * activity with that id; the first lane that answers is kept. A workflow job costs nothing extra, a
 * standalone one a single not-found round trip (ids are not marked, so user-chosen ids stay as given).
 */
export function findJobHandle<T>(client: Client, id: string, request?: string): JobHandle<T> {
  const workflow = createJobHandle<T>(client, id, request);
  if (!hasActivityClient(client)) return workflow;
  let found: JobHandle<T> | undefined;
  let standalone: JobHandle<T> | undefined;
  const call =
    <K extends Op>(op: K) =>
    async (...args: Parameters<JobHandle<T>[K]>): Promise<Awaited<ReturnType<JobHandle<T>[K]>>> => {
      type R = Awaited<ReturnType<JobHandle<T>[K]>>;
      const run = (h: JobHandle<T>) => (h[op] as (...a: unknown[]) => Promise<R>)(...args);
      if (found) return await run(found);
      try {
        const out = await run(workflow);
        found = workflow;
        return out;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        standalone ??= createStandaloneJobHandle<T>(client, id, request);
        try {
          const out = await run(standalone);
          found = standalone;
          return out;
        } catch (second) {
          // Neither lane has it: the workflow lane's error (the default lane) is the one to report.
          throw isNotFound(second) || isUnimplemented(second) || isLaneMissing(second) ? err : second;
        }
      }
    };
  return {
    id,
    request,
    status: call('status'),
    result: call('result'),
    cancel: call('cancel'),
    describe: call('describe'),
    delete: call('delete'),
    logs: call('logs'),
    progress: call('progress'),
    retry: call('retry'),
  };
}
