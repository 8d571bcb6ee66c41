/**
 * What a second start with the same job id does: Temporal's workflow id conflict policy (a running
 * job) and reuse policy (a closed one), and the check that an existing job runs the same request.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { MediatorError, InvalidOptionError } from '../core/errors.js';
import { MEDIATOR_REQUEST } from './handle.js';
import { decodePayload } from '../core/payloads.js';
import { EXECUTE_REQUEST_WORKFLOW } from '../../workflows/constants.js';

/**
 * What enqueueing a job id that already has a job does. A running job is always returned (never
 * run twice at once); for a closed one:
 * - `'return-existing'`: return it and its result, whatever its outcome (idempotency).
 * - `'rerun-if-failed'`: run again if it failed, was cancelled, terminated or timed out; return it
 *   if it completed. For ids derived from the input that must be retried after a failure.
 * - `'rerun-always'`: run again, whatever its outcome.
 */
export type JobIdReuse = 'return-existing' | 'rerun-if-failed' | 'rerun-always';

const REUSE: Record<JobIdReuse, WorkflowIdReusePolicy> = {
  'return-existing': 'REJECT_DUPLICATE',
  'rerun-if-failed': 'ALLOW_DUPLICATE_FAILED_ONLY',
  'rerun-always': 'ALLOW_DUPLICATE',
};

/** Temporal's id policies for a {@link JobIdReuse}. */
export function idPolicies(
  reuse: JobIdReuse | undefined,
  request: string,
): { workflowIdConflictPolicy: WorkflowIdConflictPolicy; workflowIdReusePolicy: WorkflowIdReusePolicy } {
  const policy = REUSE[reuse ?? 'return-existing'];
  if (!policy) {
    throw new InvalidOptionError(
      'jobIdReuse',
      `unsupported value ${JSON.stringify(reuse)}; supported values are: ${Object.keys(REUSE).join(', ')}`,
      { request },
    );
  }
  return { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: policy };
}

/** The job id is taken by a job of another request (or by a workflow that is not a mediator job). */
export class JobIdConflictError extends MediatorError {
  override readonly name = 'JobIdConflictError';
  /** The request of the job that holds the id, or the workflow type of a non-mediator workflow. */
  readonly existingRequest: string;
  constructor(request: string, jobId: string, existingRequest: string) {
    super(
      'JOB_ID_CONFLICT',
      `${request}: job id '${jobId}' is taken by a job of ${existingRequest}; pick another jobId (ids are unique across requests)`,
      { request, jobId },
    );
    this.existingRequest = existingRequest;
  }
}

/**
 * Refuses the handle of a job that runs another request: with an explicit id, the start may have
 * returned someone else's job. Costs one describe (only when the caller chose the id).
 */
export async function assertSameRequest(client: Client, jobId: string, request: string): Promise<void> {
  let existing: string | undefined;
  try {
    const d = await client.workflow.getHandle(jobId).describe();
    if (d.type !== EXECUTE_REQUEST_WORKFLOW) existing = `workflow type '${d.type}' (not a mediator job)`;
    else {
      const name = d.typedSearchAttributes.get(MEDIATOR_REQUEST) ?? (await envelopeRequest(client, jobId));
      if (name !== undefined && name !== request) existing = `request '${name}'`;
    }
  } catch (err) {
    // Deleted in between: nothing to compare, the handle will say it is gone.
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
  if (existing) throw new JobIdConflictError(request, jobId, existing);
}

/** The request name of a job started without the search attribute: from its envelope (first event). */
async function envelopeRequest(client: Client, jobId: string): Promise<string | undefined> {
  // One event, not the whole history (a job's console can make it long).
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: jobId },
    maximumPageSize: 1,
  });
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const envelope = await decodePayload<{ request?: unknown }>(client, payload);
  return typeof envelope?.request === 'string' ? envelope.request : undefined;
}
