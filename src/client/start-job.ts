/**
 * Starts a job on the workflow (and fast) lane: the `executeRequest` workflow with the planned
 * envelope, id policies, priority and search attribute, or the existing job with the same id.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { optionalMs } from '../core/durations.js';
import { SearchAttributeMissingError, errorMessage } from '../core/errors.js';
import { defaultJobId } from '../core/ids.js';
import type { JobPlan } from '../dispatch/plan.js';
import { buildEnvelope, checkPayload, startDelayMs } from '../dispatch/plan.js';
import type { ResolvedMediatorOptions } from '../dispatch/options.js';
import { jobPriority } from '../dispatch/priority.js';
import type { JobHandle } from '../jobs/handle.js';
import { MEDIATOR_REQUEST, createJobHandle } from '../jobs/handle.js';
import { assertSameRequest, idPolicies } from '../jobs/ids.js';
import { supportsEagerStart } from '../sdk/internals.js';
import { EXECUTE_REQUEST_WORKFLOW } from '../../workflows/constants.js';

function isSearchAttributeProblem(err: unknown): boolean {
  const text = errorMessage(err) + errorMessage((err as { cause?: unknown })?.cause ?? '');
  return /search attribute/i.test(text) && text.includes('MediatorRequest');
}

/** Starts the job's workflow (or finds the existing one with the same id) and returns its handle. */
export async function startJob<T>(
  client: Client,
  plan: JobPlan,
  resolved: ResolvedMediatorOptions,
): Promise<JobHandle<T>> {
  const { definition: def, options } = plan;
  const { envelope, queue, description } = buildEnvelope(plan, resolved);
  checkPayload(envelope, resolved.maxPayloadBytes);
  const jobId = options.jobId ?? defaultJobId(def.name);
  const jobTimeout = optionalMs(
    options.jobTimeout ?? def.jobTimeout ?? resolved.defaults.jobTimeout,
    'jobTimeout',
    def.name,
  );
  const delay = startDelayMs(def, options);
  const policies = idPolicies(options.jobIdReuse, def.name);
  const priority = jobPriority(options, def.name);
  // The handle answers for the run this start began (or found), whatever later holds the id.
  let runId: string | undefined;
  try {
    ({ firstExecutionRunId: runId } = await client.workflow.start(EXECUTE_REQUEST_WORKFLOW, {
      taskQueue: queue,
      workflowId: jobId,
      args: [envelope],
      staticSummary: description,
      typedSearchAttributes: resolved.searchAttributes
        ? [{ key: MEDIATOR_REQUEST, value: def.name }]
        : undefined,
      ...policies,
      workflowExecutionTimeout: jobTimeout,
      startDelay: delay || undefined,
      priority,
      // Fast lane: the server hands the first workflow task straight back to this process's worker.
      requestEagerStart: envelope.activity?.local && !delay && supportsEagerStart(client) ? true : undefined,
    }));
  } catch (err) {
    // Same id, already closed: idempotency means the caller gets that job and its result.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      if (isSearchAttributeProblem(err)) {
        throw new SearchAttributeMissingError(client.options.namespace, resolved.address, err);
      }
      throw err;
    }
  }
  // A chosen id may already belong to another request's job: never hand it out typed as this one's.
  if (options.jobId !== undefined) await assertSameRequest(client, jobId, def.name);
  return createJobHandle<T>(client, jobId, def.name, runId);
}
