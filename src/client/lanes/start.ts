/**
 * Where a job starts: the lane it resolves to, or the workflow lane when that lane cannot run it and
 * `laneFallback: 'workflow'` says so; otherwise `LaneUnsupportedError`, before anything starts.
 */
import type { Client } from '@temporalio/client';
import type { JobPlan } from '../../dispatch/plan.js';
import { startJob } from '../start-job.js';
import type { JobHandle } from '../../jobs/handle.js';
import type { ResolvedMediatorOptions } from '../../dispatch/options.js';
import { STANDALONE_SERVER_NEEDED, hasActivityClient, isStandaloneUnsupported } from './activity-client.js';
import { resolveLane, resolveLaneFallback, unsupported } from '../../dispatch/lane.js';
import { startStandaloneJob } from './standalone.js';
import { standaloneJobHolding } from './cross-lane.js';
// Provides the standalone lane's side of jobs(), countJobs(), retryJobs() and cancelJobs().
import './standalone-jobs.js';

/** Clients whose server refused a standalone activity, and when (asked again after a minute). */
const refused = new WeakMap<Client, number>();
const RECHECK_MS = 60_000;

async function serverVersion(client: Client): Promise<string | undefined> {
  try {
    return (await client.workflowService.getSystemInfo({})).serverVersion ?? undefined;
  } catch {
    return undefined;
  }
}

/** Starts a job on its lane: the workflow and fast lanes through `startJob`, the standalone lane here. */
export async function startOnLane<T>(
  client: Client,
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): Promise<JobHandle<T>> {
  const { definition: def, options } = plan;
  const defaults = resolved.defaults;
  if (resolveLane(def, options, defaults) !== 'standalone')
    return startWorkflowJob<T>(client, plan, resolved);
  const onWorkflow = () =>
    startWorkflowJob<T>(client, { ...plan, options: { ...options, lane: 'workflow' } }, resolved);
  if (def.kind === 'notification' && unsupported(def, options, { defaults, reason: 'kind' }))
    return onWorkflow();
  if (!hasActivityClient(client) && unsupported(def, options, { defaults, reason: 'sdk' }))
    return onWorkflow();
  const refusedAt = refused.get(client);
  const fallback = resolveLaneFallback(def, options, defaults) === 'workflow';
  if (fallback && refusedAt !== undefined && Date.now() - refusedAt < RECHECK_MS) return onWorkflow();
  try {
    return await startStandaloneJob<T>(client, plan, resolved);
  } catch (err) {
    if (!isStandaloneUnsupported(err)) throw err;
    refused.set(client, Date.now());
    if (fallback) return onWorkflow();
    const version = await serverVersion(client);
    unsupported(def, options, {
      defaults,
      reason: 'server',
      needed: `${STANDALONE_SERVER_NEEDED}${version ? `; this server is ${version}` : ''}`,
      cause: err,
    });
    throw err;
  }
}

/**
 * The workflow and fast lanes: a chosen id held by a standalone job returns that job (or
 * `JobIdConflictError` when it runs another request) instead of starting a workflow beside it. Only
 * for `jobIdReuse: 'return-existing'`, as the standalone lane's check of the workflow lane.
 */
async function startWorkflowJob<T>(
  client: Client,
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): Promise<JobHandle<T>> {
  const { definition: def, options } = plan;
  if (options.jobId !== undefined && (options.jobIdReuse ?? 'return-existing') === 'return-existing') {
    const existing = await standaloneJobHolding<T>(client, options.jobId, def.name);
    if (existing) return existing;
  }
  return startJob<T>(client, plan, resolved);
}
