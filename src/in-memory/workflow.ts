/**
 * The in-memory twin of the `executeRequest` workflow (`workflows/index.ts`): one activity for a
 * command or query, one per handler for a notification, each retried per the envelope's policy with
 * exponential backoff, an attempt (start-to-close) timeout, and cancellation that waits for the
 * running handler (Temporal's `WAIT_CANCELLATION_COMPLETED`). It throws the same failure shapes the
 * workflow would, so the client-side translation (`translateJobError`) gives the same errors.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  RetryState,
  TimeoutFailure,
} from '@temporalio/common';
import { toTemporalFailure } from '../../activities/failures.js';
import { findCancellation, publishOutcome } from '../../workflows/outcomes.js';
import type { Envelope, PublishResult } from '../dispatch/envelope.js';
import { HandlerNotFoundError, toError } from '../core/errors.js';
import {
  CONTRACT_AHEAD_MAX_WAIT_MS,
  CONTRACT_AHEAD_TYPE,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_RETRY,
  LIST_HANDLERS_ACTIVITY,
  NON_RETRYABLE_TYPES,
} from '../../workflows/constants.js';
import type { ActivityTarget, WorkerView } from './attempt.js';
import { activityType, runAttempt } from './attempt.js';
import type { JobConsole } from './console.js';

/** What the workflow needs from its job. */
export interface WorkflowScope {
  readonly envelope: Envelope;
  readonly jobId: string;
  readonly queue: string;
  readonly worker: WorkerView;
  readonly console: JobConsole | undefined;
  /** True once `job.cancel()` was called. */
  readonly cancelRequested: boolean;
  /** Waits `ms` on the job's clock; ends early when the job is cancelled or closed. */
  sleep(ms: number): Promise<'elapsed' | 'cancelled' | 'closed'>;
  /** Lets cancellation and closing reach a running attempt; returns the untrack function. */
  track(controller: AbortController): () => void;
}

/** Thrown inside the workflow once its job was closed from outside (timed out, terminated). */
export class JobClosed extends Error {}

type Outcome = { ok: true; value: unknown } | { ok: false; failure: Error };

interface Policy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  nonRetryable: readonly string[];
}

function policyOf(envelope: Envelope): Policy {
  const r = envelope.activity?.retry ?? {};
  const initialIntervalMs = r.initialIntervalMs ?? DEFAULT_RETRY.initialIntervalMs;
  return {
    maximumAttempts: r.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts,
    initialIntervalMs,
    backoffCoefficient: r.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
    // Temporal's default cap: 100 × the initial interval.
    maximumIntervalMs: r.maximumIntervalMs ?? 100 * initialIntervalMs,
    nonRetryable: [...NON_RETRYABLE_TYPES, ...(r.nonRetryableErrorTypes ?? [])],
  };
}

/** Delay before the retry that follows attempt `attempt` (1-based). */
export function backoffMs(policy: Policy, attempt: number): number {
  const raw = policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1);
  return Math.min(raw, policy.maximumIntervalMs);
}

function retryable(failure: Error, policy: Policy): boolean {
  if (failure instanceof TimeoutFailure) return true;
  if (failure instanceof ApplicationFailure) {
    return !failure.nonRetryable && !policy.nonRetryable.includes(failure.type ?? 'Error');
  }
  return true;
}

function activityFailure(target: ActivityTarget, cause: Error, retryState: RetryState): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    activityType(target),
    undefined,
    retryState,
    'in-memory',
    cause,
  );
}

/** One attempt under the start-to-close timeout; the timeout wins even if the handler ignores it. */
function attemptOnce(scope: WorkflowScope, target: ActivityTarget, attempt: number): Promise<Outcome> {
  const timeoutMs = scope.envelope.activity?.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  return new Promise<Outcome>((resolve) => {
    const controller = new AbortController();
    const untrack = scope.track(controller);
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      timer.cancel();
      untrack();
      resolve(outcome);
    };
    const timer = scope.worker.clock.setTimer(() => {
      // On Temporal the server times the attempt out; the worker learns it at its next heartbeat (NOT_FOUND).
      controller.abort(new CancelledFailure('NOT_FOUND'));
      finish({
        ok: false,
        failure: new TimeoutFailure('activity StartToClose timeout', undefined, 'START_TO_CLOSE'),
      });
    }, timeoutMs);
    runAttempt(scope.worker, {
      target,
      input: scope.envelope.input,
      version: scope.envelope.version,
      metadata: scope.envelope.metadata ?? {},
      jobId: scope.jobId,
      queue: scope.queue,
      attempt,
      signal: controller.signal,
      console: scope.console,
    }).then(
      (value) => finish({ ok: true, value }),
      (err: unknown) => finish({ ok: false, failure: toError(err) }),
    );
  });
}

/** Runs one activity with its retries; throws an `ActivityFailure` like the workflow's proxy. */
async function runActivity(scope: WorkflowScope, target: ActivityTarget): Promise<unknown> {
  const policy = policyOf(scope.envelope);
  const cancelled = () =>
    activityFailure(target, new CancelledFailure(undefined), RetryState.CANCEL_REQUESTED);
  let aheadWaitMs = 1_000;
  for (let attempt = 1; ; attempt++) {
    if (scope.cancelRequested) throw cancelled();
    const outcome = await attemptOnce(scope, target, attempt);
    if (outcome.ok) return outcome.value;
    const { failure } = outcome;
    if (failure instanceof ApplicationFailure && failure.type === CONTRACT_AHEAD_TYPE) {
      // As the workflow does: no handler ran, so wait for a newer worker with the full retry budget.
      const waited = await scope.sleep(aheadWaitMs);
      if (waited === 'cancelled') throw cancelled();
      if (waited === 'closed') throw new JobClosed();
      aheadWaitMs = Math.min(aheadWaitMs * 2, CONTRACT_AHEAD_MAX_WAIT_MS);
      attempt = 0;
      continue;
    }
    // The worker reports "cancelled"; the workflow sees a fresh CancelledFailure, without the worker's reason.
    if (failure instanceof CancelledFailure) throw cancelled();
    if (!retryable(failure, policy)) throw activityFailure(target, failure, RetryState.NON_RETRYABLE_FAILURE);
    if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
      throw activityFailure(target, failure, RetryState.MAXIMUM_ATTEMPTS_REACHED);
    }
    const waited = await scope.sleep(backoffMs(policy, attempt));
    if (waited === 'cancelled') throw cancelled();
    if (waited === 'closed') throw new JobClosed();
  }
}

async function publish(scope: WorkflowScope): Promise<PublishResult> {
  const { envelope, worker } = scope;
  const entry = worker.handlers.get(envelope.request);
  const names = entry ? [...entry.notificationHandlers.keys()] : [];
  if (!names.length) {
    const err = new HandlerNotFoundError(envelope.request, worker.handlers.names(), { queue: scope.queue });
    throw activityFailure(
      { request: LIST_HANDLERS_ACTIVITY },
      toTemporalFailure(err, 1),
      RetryState.NON_RETRYABLE_FAILURE,
    );
  }
  const settled = await Promise.allSettled(
    names.map((handler) => runActivity(scope, { request: envelope.request, handler })),
  );
  const closed = settled.find((s) => s.status === 'rejected' && s.reason instanceof JobClosed);
  if (closed) throw new JobClosed();
  // The same outcome mapping (and cancellation rule) as the workflow's publish().
  const cancelledHandler = findCancellation(settled);
  if (cancelledHandler) throw cancelledHandler;
  return publishOutcome(names, settled);
}

/** Runs the job's request: its handler (command, query) or every handler (notification). */
export function executeInMemory(scope: WorkflowScope): Promise<unknown> {
  if (scope.envelope.kind === 'notification') return publish(scope);
  return runActivity(scope, { request: scope.envelope.request });
}
