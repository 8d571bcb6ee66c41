/**
 * The standalone lane: a command's or query's handler runs as a Temporal Standalone Activity
 * (`client.activity.start`) of the request's type on the request's queue — the activity the
 * `executeRequest` workflow would schedule, without the workflow. The worker's handler activity is
 * the same one, so validation, upcasting, handle behaviors and the result encoding are the same.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { JobPlan } from '../../dispatch/plan.js';
import { buildEnvelope, checkPayload, startDelayMs } from '../../dispatch/plan.js';
import { optionalMs } from '../../core/durations.js';
import type { ActivityExtras } from '../../dispatch/envelope.js';
import { InvalidOptionError } from '../../core/errors.js';
import { STANDALONE_NO_TIME_LEFT_MS } from '../../dispatch/lane.js';
import { defaultJobId } from '../../core/ids.js';
import { JobIdConflictError, assertSameRequest } from '../../jobs/ids.js';
import type { JobIdReuse } from '../../jobs/ids.js';
import type { JobHandle } from '../../jobs/handle.js';
import { MEDIATOR_REQUEST, createJobHandle } from '../../jobs/handle.js';
import type { ResolvedMediatorOptions } from '../../dispatch/options.js';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_RETRY,
  NON_RETRYABLE_TYPES,
} from '../../../workflows/constants.js';
import { activityClient, isNamed } from './activity-client.js';
import { createStandaloneJobHandle } from './standalone-handle.js';

const REUSE: Record<JobIdReuse, string> = {
  'return-existing': 'REJECT_DUPLICATE',
  'rerun-if-failed': 'ALLOW_DUPLICATE_FAILED_ONLY',
  'rerun-always': 'ALLOW_DUPLICATE',
};

/** The activity start options of a plan: the workflow lane's activity options, as the workflow sets them. */
export function standaloneStartOptions(
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): { jobId: string; options: Record<string, unknown> } {
  const { definition: def, options } = plan;
  const { envelope, queue, description } = buildEnvelope(plan, resolved);
  checkPayload(envelope, resolved.maxPayloadBytes);
  const reuse = REUSE[options.jobIdReuse ?? 'return-existing'];
  if (!reuse) {
    throw new InvalidOptionError(
      'jobIdReuse',
      `unsupported value ${JSON.stringify(options.jobIdReuse)}; supported values are: ${Object.keys(REUSE).join(', ')}`,
      { request: def.name },
    );
  }
  const priority = options.priority;
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 5)) {
    throw new InvalidOptionError('priority', 'must be an integer from 1 (highest) to 5 (lowest)', {
      request: def.name,
    });
  }
  const a = envelope.activity ?? {};
  const r = a.retry ?? {};
  // The worker reads metadata and the contract version; without either the input goes alone, as a
  // raw start's would (a second payload costs every start its encoding and bytes).
  const extras: ActivityExtras = {};
  if (envelope.metadata && Object.keys(envelope.metadata).length) extras.metadata = envelope.metadata;
  if (envelope.version !== undefined) extras.version = envelope.version;
  const jobId = options.jobId ?? defaultJobId(def.name);
  const jobTimeout = optionalMs(
    options.jobTimeout ?? def.jobTimeout ?? resolved.defaults.jobTimeout,
    'jobTimeout',
    def.name,
  );
  const delay = startDelayMs(def, options);
  return {
    jobId,
    options: {
      id: jobId,
      taskQueue: queue,
      args: Object.keys(extras).length ? [envelope.input, extras] : [envelope.input],
      startToCloseTimeout: a.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      heartbeatTimeout: a.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
      // The job timeout, retries included. It counts from the enqueue as on the workflow lane, while
      // Temporal counts an activity's from the end of its start delay: the delay is taken off.
      ...(jobTimeout === undefined
        ? {}
        : { scheduleToCloseTimeout: Math.max(STANDALONE_NO_TIME_LEFT_MS, jobTimeout - (delay ?? 0)) }),
      retry: {
        maximumAttempts: r.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts,
        initialInterval: r.initialIntervalMs ?? DEFAULT_RETRY.initialIntervalMs,
        backoffCoefficient: r.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
        maximumInterval: r.maximumIntervalMs,
        nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES, ...(r.nonRetryableErrorTypes ?? [])],
      },
      // The activity type already is the request name: a summary repeating it costs bytes and nothing else.
      ...(description === def.name ? {} : { summary: description }),
      ...(priority === undefined ? {} : { priority: { priorityKey: priority } }),
      ...(delay ? { startDelay: delay } : {}),
      idReusePolicy: reuse,
      // A running job with the id is returned, never run twice at once (as on the workflow lane).
      idConflictPolicy: 'USE_EXISTING',
      ...(resolved.searchAttributes
        ? { typedSearchAttributes: [{ key: MEDIATOR_REQUEST, value: def.name }] }
        : {}),
    },
  };
}

/**
 * Starts the job as a standalone activity (or finds the one that holds its id) and returns its
 * handle. A chosen id held by a job of the workflow lane returns that job (ids are one space to the
 * caller, two to Temporal: a workflow and an activity may share an id).
 */
export async function startStandaloneJob<T>(
  client: Client,
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): Promise<JobHandle<T>> {
  const def = plan.definition;
  const activities = activityClient(client, def.name);
  const { jobId, options } = standaloneStartOptions(plan, resolved);
  const chosen = plan.options.jobId !== undefined;
  if (chosen && (plan.options.jobIdReuse ?? 'return-existing') === 'return-existing') {
    const existing = await workflowJob(client, jobId, def.name);
    if (existing) return existing as JobHandle<T>;
  }
  // The handle is pinned to the run the start answered with (as the SDK's own handle is): a server
  // asked for an activity's result without its run id looks the current run up on every poll.
  let runId: string | undefined;
  try {
    runId = (await activities.start(def.name, options)).runId;
  } catch (err) {
    // Same id, closed, not to be rerun: idempotency means the caller gets that job and its result.
    if (!isNamed(err, 'ActivityExecutionAlreadyStartedError')) throw err;
    runId = typeof err.runId === 'string' && err.runId ? err.runId : undefined;
  }
  if (chosen) await assertSameActivity(client, jobId, def.name);
  return createStandaloneJobHandle<T>(client, jobId, def.name, runId);
}

/** The workflow-lane job holding a chosen id, if any (checked to be of the same request). */
async function workflowJob(client: Client, jobId: string, request: string): Promise<JobHandle | undefined> {
  try {
    await client.workflow.getHandle(jobId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  await assertSameRequest(client, jobId, request);
  return createJobHandle(client, jobId, request);
}

async function assertSameActivity(client: Client, jobId: string, request: string): Promise<void> {
  const d = await activityClient(client, request).getHandle(jobId).describe();
  const name = (d.typedSearchAttributes.get(MEDIATOR_REQUEST) as string | undefined) ?? d.activityType;
  if (name !== request) throw new JobIdConflictError(request, jobId, `request '${name}'`);
}
