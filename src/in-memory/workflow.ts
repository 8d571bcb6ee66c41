/**
 * The in-memory twin of the `executeRequest` workflow (`workflows/index.ts`): one activity for a
 * command or query, one per handler for a notification, each retried per the envelope's policy with
 * exponential backoff, an attempt (start-to-close) timeout, and cancellation that waits for the
 * running handler (Temporal's `WAIT_CANCELLATION_COMPLETED`). It ends with the backend's own typed
 * {@link JobOutcome}, which `outcomeError` maps to the errors the Temporal backend reports.
 */
import type { Envelope, PublishResult } from '../dispatch/envelope.js';
import type { HandlerOutcome } from '../core/errors.js';
import { HandlerNotFoundError } from '../core/errors.js';
import { describeFailure } from '../jobs/failure-info.js';
import { handlerAbortReason } from '../jobs/abort-reason.js';
import {
  CONTRACT_AHEAD_MAX_WAIT_MS,
  CONTRACT_AHEAD_TYPE,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_RETRY,
  NON_RETRYABLE_TYPES,
} from '../../workflows/constants.js';
import type { ActivityTarget, WorkerView } from './attempt.js';
import { runAttempt } from './attempt.js';
import type { JobConsole } from './console.js';
import type { ActivityOutcome, AttemptOutcome, HandlerFailure, JobOutcome } from './outcome.js';
import { aggregateFailure, rejectedOutcome } from './outcome.js';

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

function retryable(failure: HandlerFailure, policy: Policy): boolean {
  if (failure.kind === 'timeout') return true;
  return !failure.info.nonRetryable && !policy.nonRetryable.includes(failure.info.type);
}

/** One attempt under the start-to-close timeout; the timeout wins even if the handler ignores it. */
function attemptOnce(scope: WorkflowScope, target: ActivityTarget, attempt: number): Promise<AttemptOutcome> {
  const timeoutMs = scope.envelope.activity?.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  return new Promise<AttemptOutcome>((resolve) => {
    const controller = new AbortController();
    const untrack = scope.track(controller);
    let done = false;
    const finish = (outcome: AttemptOutcome) => {
      if (done) return;
      done = true;
      timer.cancel();
      untrack();
      resolve(outcome);
    };
    const timer = scope.worker.clock.setTimer(() => {
      // On Temporal the server times the attempt out; the worker learns it at its next heartbeat (NOT_FOUND).
      controller.abort(handlerAbortReason('NOT_FOUND'));
      finish({ status: 'failed', failure: { kind: 'timeout' } });
    }, timeoutMs);
    void runAttempt(scope.worker, {
      target,
      input: scope.envelope.input,
      version: scope.envelope.version,
      metadata: scope.envelope.metadata ?? {},
      jobId: scope.jobId,
      queue: scope.queue,
      attempt,
      signal: controller.signal,
      console: scope.console,
    }).then(finish, (err: unknown) =>
      finish({
        status: 'failed',
        failure: { kind: 'error', info: describeFailure(err, attempt), thrown: err },
      }),
    );
  });
}

/** Runs one activity with its retries, as the workflow's activity proxy does. */
async function runActivity(scope: WorkflowScope, target: ActivityTarget): Promise<ActivityOutcome> {
  const policy = policyOf(scope.envelope);
  let aheadWaitMs = 1_000;
  for (let attempt = 1; ; attempt++) {
    if (scope.cancelRequested) return { status: 'cancelled' };
    const outcome = await attemptOnce(scope, target, attempt);
    if (outcome.status !== 'failed') return outcome;
    const { failure } = outcome;
    let waitMs: number;
    if (failure.kind === 'error' && failure.info.type === CONTRACT_AHEAD_TYPE) {
      // As the workflow does: no handler ran, so wait for a newer worker with the full retry budget.
      waitMs = aheadWaitMs;
      aheadWaitMs = Math.min(aheadWaitMs * 2, CONTRACT_AHEAD_MAX_WAIT_MS);
      attempt = 0;
    } else {
      if (!retryable(failure, policy)) return outcome;
      if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) return outcome;
      waitMs = backoffMs(policy, attempt);
    }
    const waited = await scope.sleep(waitMs);
    if (waited !== 'elapsed') return { status: waited };
  }
}

async function publish(scope: WorkflowScope): Promise<JobOutcome | { status: 'closed' }> {
  const { envelope, worker } = scope;
  const entry = worker.handlers.get(envelope.request);
  const names = entry ? [...entry.notificationHandlers.keys()] : [];
  if (!names.length) {
    // The worker's handler listing fails, non-retryable.
    const err = new HandlerNotFoundError(envelope.request, worker.handlers.names(), { queue: scope.queue });
    return { status: 'failed', failure: { kind: 'error', info: describeFailure(err, 1), thrown: err } };
  }
  const settled = await Promise.all(
    names.map((handler) => runActivity(scope, { request: envelope.request, handler })),
  );
  if (settled.some((s) => s.status === 'closed')) return { status: 'closed' };
  // As the workflow's publish(): a handler's cancellation (the job was cancelled) cancels the job.
  if (settled.some((s) => s.status === 'cancelled')) return { status: 'cancelled' };
  const outcomes: HandlerOutcome[] = settled.map((s, i) => {
    const handler = names[i] as string;
    return s.status === 'failed' ? rejectedOutcome(handler, s.failure) : { handler, status: 'fulfilled' };
  });
  if (outcomes.some((o) => o.status === 'rejected')) {
    return { status: 'failed', failure: aggregateFailure(outcomes) };
  }
  const value: PublishResult = { outcomes: outcomes as PublishResult['outcomes'] };
  return { status: 'completed', value };
}

/**
 * Runs the job's request: its handler (command, query) or every handler (notification). Resolves
 * with the job's outcome, or `closed` when the job was closed from outside meanwhile.
 */
export async function executeInMemory(scope: WorkflowScope): Promise<JobOutcome | { status: 'closed' }> {
  if (scope.envelope.kind === 'notification') return publish(scope);
  return runActivity(scope, { request: scope.envelope.request });
}
