/**
 * `job.retry()` on Temporal: a new job, linked to the original, that starts the same workflow with
 * the original's start request copied byte for byte (envelope, search attributes, summary, timeouts,
 * priority) — encrypted payloads stay encrypted, so a process without the key can retry too.
 *
 * Why a new job rather than a Temporal reset: a reset keeps the original's execution deadline (a job
 * that hit its `jobTimeout` would time out again at once), and an old run that is reset again
 * terminates the current one; a new job gets a fresh retry budget and deadline, leaves the original
 * and its failure readable, and behaves the same on the in-memory backend. Retry ids are
 * deterministic (`<id>~retry-<n>`), so retrying twice, from two processes or in a bulk retry that
 * lists both a job and its failed retry, starts one job. A standalone-lane job is retried the same
 * way, its activity's start copied instead (`client/lanes/standalone-retry.ts`, a {@link RetryLane}).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { JobHandle, JobStatus, RetryJobOptions } from './types.js';
import { JobNotFoundError, MediatorError } from '../core/errors.js';
import { RETRYABLE_STATUSES } from './filter.js';
import { proto } from '../sdk/proto.js';

/** The memo field that links a retry to the job it re-runs. */
export const RETRY_OF_MEMO = 'mediatorRetryOf';

export type { RetryJobOptions } from './types.js';

/** `retry()` of a job that is running, scheduled or completed: nothing was started. */
export class JobNotRetryableError extends MediatorError {
  override readonly name = 'JobNotRetryableError';
  /** The job's status when the retry was refused. */
  readonly status: JobStatus;
  constructor(request: string | undefined, jobId: string, status: JobStatus) {
    super(
      'JOB_NOT_RETRYABLE',
      `${request ?? 'job'}: job '${jobId}' is ${status}; only failed, cancelled, terminated or timed-out jobs can be retried`,
      { request, jobId },
    );
    this.status = status;
  }
}

/** What one retry did: the retry's handle, and whether this call started it. */
export interface RetryOutcome<T> {
  job: JobHandle<T>;
  /** `false` when the retry already existed (retried before, by this or another process). */
  started: boolean;
}

/** How a retry finds and makes handles. */
export type HandleFactory = <T>(client: Client, id: string, request?: string) => JobHandle<T>;

/** What a retry copies: the original run, and the id and queue of the retry. */
export interface RetryCopy {
  id: string;
  runId: string;
  retryId: string;
  queue: string | undefined;
}

/** How one lane retries: its handles, how it looks for a taken retry id, and how it starts the copy. */
export interface RetryLane {
  /** Handles of this lane's jobs: the original and the retry it starts. */
  handleFor: HandleFactory;
  /** A handle to whatever job holds an id (any lane), to see whether a retry id is taken. @default handleFor */
  probe?: HandleFactory;
  /** Starts the copy; `false` when the retry id already has a job. @default the workflow lane's */
  startCopy?: (client: Client, copy: RetryCopy) => Promise<boolean>;
}

const RETRY_SUFFIX = /^(.*)~retry-(\d+)$/;
/** How many failed retries of one job are walked past before giving up. */
const MAX_CHAIN = 100;

/** The original id and the retry number of a job id (`0` for an original). */
export function parseRetryId(id: string): { root: string; n: number } {
  const m = RETRY_SUFFIX.exec(id);
  return m ? { root: m[1]!, n: Number(m[2]) } : { root: id, n: 0 };
}

/** Whether a job in this status may be retried. */
export function isRetryable(status: JobStatus): boolean {
  return RETRYABLE_STATUSES.includes(status);
}

async function statusOrUndefined(job: JobHandle): Promise<JobStatus | undefined> {
  try {
    return await job.status();
  } catch (err) {
    if (err instanceof JobNotFoundError || err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Retries a failed, cancelled, terminated or timed-out job (see the module comment). */
export async function retryJob<T>(
  client: Client,
  original: { id: string; request: string | undefined; options?: RetryJobOptions },
  lane: HandleFactory | RetryLane,
): Promise<RetryOutcome<T>> {
  const {
    handleFor,
    probe = handleFor,
    startCopy = startWorkflowCopy,
  } = typeof lane === 'function' ? { handleFor: lane } : lane;
  const { id, options = {} } = original;
  const described = await handleFor(client, id, original.request).describe();
  const request = original.request ?? described.request;
  if (!isRetryable(described.status)) throw new JobNotRetryableError(request, id, described.status);
  const start = (retryId: string) =>
    startCopy(client, { id, runId: described.runId, retryId, queue: options.queue }).then((started) => ({
      job: handleFor<T>(client, retryId, request),
      started,
    }));
  if (options.jobId !== undefined) return start(options.jobId);
  const { root, n } = parseRetryId(id);
  for (let k = n + 1; k <= n + MAX_CHAIN; k++) {
    const retryId = `${root}~retry-${k}`;
    const existing = probe<T>(client, retryId, request);
    const status = await statusOrUndefined(existing);
    if (status === undefined) return start(retryId);
    // A retry exists and did not fail: it is this job's retry (idempotent), running or done.
    if (!isRetryable(status)) return { job: existing, started: false };
  }
  throw new JobNotRetryableError(request, id, described.status);
}

const { temporal } = proto;

/** Starts `retryId` from the original run's start event; `false` when that id already has a job. */
async function startWorkflowCopy(client: Client, copy: RetryCopy): Promise<boolean> {
  const { namespace, identity } = client.options;
  const history = await client.workflowService.getWorkflowExecutionHistory({
    namespace,
    execution: { workflowId: copy.id, runId: copy.runId },
    maximumPageSize: 1,
  });
  const event = history.history?.events?.[0];
  const attrs = event?.workflowExecutionStartedEventAttributes;
  if (!event || !attrs) throw new JobNotFoundError(copy.id, { jobId: copy.id });
  const enums = temporal.api.enums.v1;
  try {
    const response = await client.workflowService.startWorkflowExecution({
      namespace,
      identity,
      requestId: randomUUID(),
      workflowId: copy.retryId,
      workflowType: attrs.workflowType,
      taskQueue: {
        name: copy.queue ?? attrs.taskQueue?.name ?? '',
        kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
      },
      input: attrs.input,
      workflowExecutionTimeout: attrs.workflowExecutionTimeout,
      workflowRunTimeout: attrs.workflowRunTimeout,
      workflowTaskTimeout: attrs.workflowTaskTimeout,
      header: attrs.header,
      searchAttributes: attrs.searchAttributes,
      userMetadata: event.userMetadata,
      priority: attrs.priority,
      memo: {
        fields: { ...attrs.memo?.fields, [RETRY_OF_MEMO]: defaultPayloadConverter.toPayload(copy.id) },
      },
      workflowIdReusePolicy: enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
      workflowIdConflictPolicy: enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
    });
    return response.started !== false;
  } catch (err) {
    // gRPC ALREADY_EXISTS: a closed job holds the id (REJECT_DUPLICATE): it is the retry.
    if ((err as { code?: number }).code === 6) return false;
    throw err;
  }
}
