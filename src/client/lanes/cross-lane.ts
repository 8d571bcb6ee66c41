/**
 * Job ids are one space to the caller and two to Temporal (a workflow and a standalone activity may
 * share an id): a workflow-lane enqueue with a chosen id first looks for a standalone job holding
 * it, as a standalone-lane enqueue looks for a workflow (see `standalone.ts`).
 */
import type { Client } from '@temporalio/client';
import type { JobHandle } from '../../jobs/handle.js';
import { MEDIATOR_REQUEST } from '../../jobs/handle.js';
import { JobIdConflictError } from '../../jobs/ids.js';
import { activityClient, hasActivityClient, isNamed, isStandaloneUnsupported } from './activity-client.js';
import { createStandaloneJobHandle } from './standalone-handle.js';

/** Clients whose server has no standalone activities, and since when (asked again after a minute). */
const missing = new WeakMap<Client, number>();
const RECHECK_MS = 60_000;

/**
 * The standalone job holding `jobId`, if any: its handle when it runs `request`, else
 * `JobIdConflictError`. One describe call; none with an SDK without standalone activities, and none
 * for a minute after a server said it has none.
 */
export async function standaloneJobHolding<T>(
  client: Client,
  jobId: string,
  request: string,
): Promise<JobHandle<T> | undefined> {
  if (!hasActivityClient(client)) return undefined;
  const since = missing.get(client);
  if (since !== undefined && Date.now() - since < RECHECK_MS) return undefined;
  let name: string;
  try {
    const d = await activityClient(client, request).getHandle(jobId).describe();
    name = (d.typedSearchAttributes.get(MEDIATOR_REQUEST) as string | undefined) ?? d.activityType;
  } catch (err) {
    if (isNamed(err, 'ActivityNotFoundError')) return undefined;
    if (!isStandaloneUnsupported(err)) throw err;
    missing.set(client, Date.now());
    return undefined;
  }
  if (name !== request) throw new JobIdConflictError(request, jobId, `request '${name}'`);
  return createStandaloneJobHandle<T>(client, jobId, request);
}
