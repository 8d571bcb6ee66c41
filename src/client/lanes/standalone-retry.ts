/**
 * `job.retry()` of a job on the standalone lane: as on the workflow lane (see `jobs/retry.ts`), a new
 * job `<id>~retry-<n>` that starts the same standalone activity with the original's start options
 * copied as stored (input payloads byte for byte — encrypted input stays encrypted, so a process
 * without the key can retry —, header, search attributes, summary, timeouts, retry policy, priority),
 * without its start delay. A standalone activity has no memo: the link to the original rides in the
 * activity's header (`mediatorRetryOf`), read back by `describe` (so `jobs()` reads it for ids of
 * the `~retry-<n>` form with one describe each).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { JobNotFoundError } from '../../core/errors.js';
import { createJobHandle } from '../../jobs/handle.js';
import type { JobHandle, RetryJobOptions } from '../../jobs/types.js';
import type { HandleFactory, RetryCopy, RetryOutcome } from '../../jobs/retry.js';
import { RETRY_OF_MEMO, retryJob } from '../../jobs/retry.js';
import { proto } from '../../sdk/proto.js';

/** The header field that links a standalone retry to the job it re-runs. */
export const RETRY_OF_HEADER = RETRY_OF_MEMO;

interface Duration {
  seconds?: unknown;
  nanos?: number | null;
}

/** The raw activity calls the retry uses (server >= 1.32, `@temporalio/proto` >= 1.24). */
interface ActivityService {
  describeActivityExecution(request: {
    namespace: string;
    activityId: string;
    runId?: string;
    includeInput?: boolean;
  }): Promise<{ info?: RawActivityInfo | null; input?: unknown }>;
  startActivityExecution(request: Record<string, unknown>): Promise<{ started?: boolean | null }>;
}

interface RawActivityInfo {
  activityType?: unknown;
  taskQueue?: string | null;
  scheduleToCloseTimeout?: Duration | null;
  scheduleToStartTimeout?: Duration | null;
  startToCloseTimeout?: Duration | null;
  heartbeatTimeout?: Duration | null;
  startDelay?: Duration | null;
  retryPolicy?: unknown;
  searchAttributes?: { indexedFields?: Record<string, Payload> | null } | null;
  header?: { fields?: Record<string, Payload> | null } | null;
  userMetadata?: unknown;
  priority?: unknown;
}

function service(client: Client): ActivityService {
  const workflowService: unknown = client.workflowService;
  return workflowService as ActivityService;
}

/** A protobuf int64 (a `Long`, a number or a decimal string) as a number. */
export function longToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  const long = value as { toNumber?: () => number } | null | undefined;
  return typeof long?.toNumber === 'function' ? long.toNumber() : 0;
}

function ms(d: Duration | null | undefined): number {
  if (!d) return 0;
  return longToNumber(d.seconds) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}

function duration(totalMs: number): Duration {
  return { seconds: Math.floor(totalMs / 1000), nanos: (totalMs % 1000) * 1e6 };
}

/** The id of the job a standalone job retried, from its header (`undefined`: not a retry). */
export function retryOfHeader(
  header: { fields?: Record<string, Payload> | null } | null | undefined,
): string | undefined {
  const payload = header?.fields?.[RETRY_OF_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `retryId` as a copy of the original activity's start; `false` when that id already has a job. */
export async function startActivityCopy(client: Client, copy: RetryCopy): Promise<boolean> {
  const { namespace, identity } = client.options;
  const d = await service(client).describeActivityExecution({
    namespace,
    activityId: copy.id,
    runId: copy.runId || undefined,
    includeInput: true,
  });
  const info = d.info;
  if (!info) throw new JobNotFoundError(copy.id, { jobId: copy.id });
  const enums = proto.temporal.api.enums.v1 as unknown as {
    ActivityIdReusePolicy?: Record<string, number>;
    ActivityIdConflictPolicy?: Record<string, number>;
  };
  // System attributes (TemporalNamespaceDivision) are the server's to set.
  const indexed = Object.fromEntries(
    Object.entries(info.searchAttributes?.indexedFields ?? {}).filter(([key]) => !key.startsWith('Temporal')),
  );
  // The original's job timeout had its start delay taken off (it counts from the enqueue); the
  // retry starts at once, so it gets the whole budget back.
  const budget = ms(info.scheduleToCloseTimeout);
  try {
    const response = await service(client).startActivityExecution({
      namespace,
      identity,
      requestId: randomUUID(),
      activityId: copy.retryId,
      activityType: info.activityType,
      taskQueue: { name: copy.queue ?? info.taskQueue ?? '' },
      scheduleToCloseTimeout: budget ? duration(budget + ms(info.startDelay)) : undefined,
      scheduleToStartTimeout: info.scheduleToStartTimeout,
      startToCloseTimeout: info.startToCloseTimeout,
      heartbeatTimeout: info.heartbeatTimeout,
      retryPolicy: info.retryPolicy,
      input: d.input,
      searchAttributes: { indexedFields: indexed },
      header: {
        fields: { ...info.header?.fields, [RETRY_OF_HEADER]: defaultPayloadConverter.toPayload(copy.id) },
      },
      userMetadata: info.userMetadata,
      priority: info.priority,
      idReusePolicy: enums.ActivityIdReusePolicy?.ACTIVITY_ID_REUSE_POLICY_REJECT_DUPLICATE ?? 3,
      idConflictPolicy: enums.ActivityIdConflictPolicy?.ACTIVITY_ID_CONFLICT_POLICY_USE_EXISTING ?? 2,
    });
    return response.started !== false;
  } catch (err) {
    // gRPC ALREADY_EXISTS: a closed job holds the id (REJECT_DUPLICATE): it is the retry.
    if ((err as { code?: number }).code === 6) return false;
    throw err;
  }
}

/**
 * A handle for an id on either lane (a retry id must be free on both): `status()` asks the workflow
 * lane, then the standalone lane, and the other calls go to the lane that answered.
 */
function eitherLane(standalone: HandleFactory): HandleFactory {
  return <T>(client: Client, id: string, request?: string): JobHandle<T> => {
    const workflow = createJobHandle<T>(client, id, request);
    const activity = standalone<T>(client, id, request);
    let found = activity;
    const status = async () => {
      try {
        const out = await workflow.status();
        found = workflow;
        return out;
      } catch (err) {
        if (!(err instanceof JobNotFoundError)) throw err;
        return activity.status();
      }
    };
    return {
      id,
      request,
      status,
      result: () => found.result(),
      cancel: () => found.cancel(),
      describe: () => found.describe(),
      delete: () => found.delete(),
      logs: () => found.logs(),
      progress: () => found.progress(),
      retry: (options) => found.retry(options),
    };
  };
}

/** Retries a failed, cancelled, terminated or timed-out standalone job (see the module comment). */
export function retryStandaloneJob<T>(
  client: Client,
  original: { id: string; request: string | undefined; options?: RetryJobOptions },
  standaloneHandle: HandleFactory,
): Promise<RetryOutcome<T>> {
  return retryJob<T>(client, original, {
    handleFor: standaloneHandle,
    probe: eitherLane(standaloneHandle),
    startCopy: startActivityCopy,
  });
}
