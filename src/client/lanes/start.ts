/**
 * Where a job starts: the lane it resolves to, or the workflow lane when that lane cannot run it and
 * `laneFallback: 'workflow'` says so; otherwise `LaneUnsupportedError`, before anything starts.
 */
import type { Client } from '@temporalio/client';
import type { AnyDefinition, BackgroundOptions } from '../../contracts/definitions.js';
import type { JobPlan } from '../../dispatch/plan.js';
import { startJob } from '../../dispatch/plan.js';
import type { JobHandle } from '../../jobs/handle.js';
import type { ResolvedMediatorOptions } from '../../dispatch/options.js';
import { STANDALONE_SERVER_NEEDED, hasActivityClient, isStandaloneUnsupported } from './activity-client.js';
import type { LaneUnsupportedReason } from '../../dispatch/lane.js';
import { LaneUnsupportedError, resolveLane, resolveLaneFallback } from '../../dispatch/lane.js';
import { startStandaloneJob } from './standalone.js';
import { STANDALONE_SDK_VERSION } from './activity-client.js';

/** Clients whose server refused a standalone activity, and when (asked again after a minute). */
const refused = new WeakMap<Client, number>();
const RECHECK_MS = 60_000;

const NEEDED: Record<Exclude<LaneUnsupportedReason, 'server'>, string> = {
  sdk: `@temporalio/client >= ${STANDALONE_SDK_VERSION} (this one has no client.activity)`,
  kind: "a command or a query: a notification's fan-out needs the workflow (use lane 'workflow' or 'fast')",
  recurring: "a workflow: Temporal Schedules start workflows only (use lane 'workflow' or 'fast')",
};

/**
 * Refuses a lane that cannot run a job (`LaneUnsupportedError`), or returns `true` when the job is to
 * run on the workflow lane instead (`laneFallback: 'workflow'`).
 */
export function unsupported(
  definition: AnyDefinition,
  options: BackgroundOptions,
  details: { defaults: BackgroundOptions; reason: LaneUnsupportedReason; needed?: string; cause?: unknown },
): true {
  if (resolveLaneFallback(definition, options, details.defaults) === 'workflow') return true;
  const needed = details.needed ?? NEEDED[details.reason as keyof typeof NEEDED];
  throw new LaneUnsupportedError(definition.name, {
    lane: 'standalone',
    reason: details.reason,
    needed,
    cause: details.cause,
  });
}

/** For recurring jobs: refuses `lane: 'standalone'` unless it falls back to the workflow lane. */
export function assertScheduleLane(
  definition: AnyDefinition,
  options: BackgroundOptions,
  defaults: BackgroundOptions,
): void {
  if (resolveLane(definition, options, defaults) === 'standalone')
    unsupported(definition, options, { defaults, reason: 'recurring' });
}

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
  if (resolveLane(def, options, defaults) !== 'standalone') return startJob<T>(client, plan, resolved);
  const onWorkflow = () =>
    startJob<T>(client, { ...plan, options: { ...options, lane: 'workflow' } }, resolved);
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
