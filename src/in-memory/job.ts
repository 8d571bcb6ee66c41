/**
 * One in-memory job: the state Temporal keeps for a workflow execution (status, times, console,
 * outcome), its timers (start delay, job timeout) and its cancellation, plus the `JobHandle` over it.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import {
  CancelledFailure,
  RetryState,
  TerminatedFailure,
  TimeoutFailure,
  ActivityFailure,
} from '@temporalio/common';
import type { Envelope } from '../dispatch/envelope.js';
import { JobNotFoundError, toError } from '../core/errors.js';
import { translateJobError } from '../jobs/from-failure.js';
import type { JobDescription, JobHandle, JobStatus } from '../jobs/handle.js';
import { decodeResult, encodeResult } from '../core/results.js';
import type { WorkerView } from './attempt.js';
import type { ClockTimer } from './clock.js';
import { JobConsole } from './console.js';
import type { WorkflowScope } from './workflow.js';
import { JobClosed, executeInMemory } from './workflow.js';
import { retryInMemory } from './job-retry.js';

/** How a job ended, in Temporal's terms. */
type Closed =
  | { status: 'completed'; value: unknown }
  | { status: 'failed' | 'cancelled' | 'terminated' | 'timed_out'; failure: Error };

/** Everything needed to start one job. */
export interface JobStart {
  id: string;
  envelope: Envelope;
  queue: string;
  description: string;
  /** Start delay, ms. */
  delayMs: number;
  /** Workflow execution timeout, ms; it counts from the start, delay included (as on Temporal). */
  jobTimeoutMs: number | undefined;
  /** Ship `ctx.log` lines to the job's console. */
  console: boolean;
  /** The job this one retries (`retry()`). */
  retryOf?: string;
}

/** A job held in memory. */
export class InMemoryJob implements WorkflowScope {
  readonly jobId: string;
  readonly runId = randomUUID();
  readonly envelope: Envelope;
  readonly queue: string;
  readonly description: string;
  readonly worker: WorkerView;
  readonly console: JobConsole | undefined;
  readonly startTime: Date;
  readonly executionTime: Date;
  /** The job timeout it was started with, and the job it retries: what `retry()` copies and lists. */
  readonly jobTimeoutMs: number | undefined;
  readonly retryOf: string | undefined;
  closeTime: Date | undefined;
  /** A rough count of the history events Temporal would record. */
  historyLength = 1;
  #status: 'scheduled' | 'running' | Closed['status'] = 'running';
  #closed: Closed | undefined;
  #waiters: ((closed: Closed) => void)[] = [];
  #cancelRequested = false;
  readonly #attempts = new Set<AbortController>();
  readonly #sleepers = new Set<(why: 'cancelled' | 'closed') => void>();
  readonly #timers: ClockTimer[] = [];

  constructor(start: JobStart, worker: WorkerView) {
    this.jobId = start.id;
    this.envelope = start.envelope;
    this.queue = start.queue;
    this.description = start.description;
    this.worker = worker;
    this.console = start.console ? new JobConsole() : undefined;
    this.jobTimeoutMs = start.jobTimeoutMs;
    this.retryOf = start.retryOf;
    const now = worker.clock.now();
    this.startTime = new Date(now);
    this.executionTime = new Date(now + start.delayMs);
    if (start.jobTimeoutMs !== undefined) {
      this.#timers.push(worker.clock.setTimer(() => this.#timeOut(), start.jobTimeoutMs));
    }
    if (start.delayMs > 0) {
      this.#status = 'scheduled';
      this.#timers.push(worker.clock.setTimer(() => this.#run(), start.delayMs));
    } else {
      queueMicrotask(() => this.#run());
    }
  }

  get request(): string {
    return this.envelope.request;
  }

  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  status(): JobStatus {
    if (this.#status === 'scheduled' && this.executionTime.getTime() > this.worker.clock.now())
      return 'scheduled';
    return this.#status === 'scheduled' ? 'running' : this.#status;
  }

  /** Waits for the end of the job. */
  outcome(): Promise<Closed> {
    if (this.#closed) return Promise.resolve(this.#closed);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Requests cancellation: a delayed job never starts; a running handler sees its abort signal. */
  cancel(): void {
    if (this.#closed || this.#cancelRequested) return;
    this.#cancelRequested = true;
    this.historyLength++;
    if (this.#status === 'scheduled') {
      this.#close({ status: 'cancelled', failure: cancelledError() });
      return;
    }
    for (const controller of this.#attempts) controller.abort(new CancelledFailure('CANCELLED'));
    for (const wake of this.#sleepers) wake('cancelled');
  }

  /** Ends the job at once (delete, `TERMINATE_OTHER`); running handlers see their abort signal. */
  terminate(reason: string): void {
    if (this.#closed) return;
    this.#close({
      status: 'terminated',
      failure: new WorkflowFailedError(
        reason,
        new TerminatedFailure(reason),
        RetryState.NON_RETRYABLE_FAILURE,
      ),
    });
  }

  sleep(ms: number): Promise<'elapsed' | 'cancelled' | 'closed'> {
    if (this.#closed) return Promise.resolve('closed');
    if (this.#cancelRequested) return Promise.resolve('cancelled');
    this.historyLength += 2;
    return new Promise((resolve) => {
      const wake = (why: 'elapsed' | 'cancelled' | 'closed') => {
        timer.cancel();
        this.#sleepers.delete(wake);
        resolve(why);
      };
      const timer = this.worker.clock.setTimer(() => wake('elapsed'), ms);
      this.#sleepers.add(wake);
    });
  }

  track(controller: AbortController): () => void {
    this.historyLength += 2;
    if (this.#closed) controller.abort(new CancelledFailure('NOT_FOUND'));
    this.#attempts.add(controller);
    return () => this.#attempts.delete(controller);
  }

  #run(): void {
    if (this.#closed) return;
    this.#status = 'running';
    this.historyLength += 2;
    executeInMemory(this).then(
      (value) => this.#close({ status: 'completed', value: roundTrip(encodeResult(value)) }),
      (err: unknown) => {
        if (err instanceof JobClosed || this.#closed) return;
        const failure = toError(err);
        // The workflow SDK completes a workflow as cancelled when it throws a cancellation.
        if (isCancellation(failure)) this.#close({ status: 'cancelled', failure: cancelledError() });
        else {
          this.#close({
            status: 'failed',
            failure: new WorkflowFailedError(
              'Workflow execution failed',
              failure,
              RetryState.NON_RETRYABLE_FAILURE,
            ),
          });
        }
      },
    );
  }

  #timeOut(): void {
    const failure = new TimeoutFailure('Workflow execution timed out', undefined, 'START_TO_CLOSE');
    this.#close({
      status: 'timed_out',
      failure: new WorkflowFailedError('Workflow execution timed out', failure, RetryState.TIMEOUT),
    });
  }

  #close(closed: Closed): void {
    if (this.#closed) return;
    this.#closed = closed;
    this.#status = closed.status;
    this.closeTime = new Date(this.worker.clock.now());
    this.historyLength++;
    for (const timer of this.#timers) timer.cancel();
    // Handlers still running learn it like a worker does at its next heartbeat.
    for (const controller of this.#attempts) controller.abort(new CancelledFailure('NOT_FOUND'));
    for (const wake of this.#sleepers) wake('closed');
    for (const resolve of this.#waiters.splice(0)) resolve(closed);
  }
}

function cancelledError(): Error {
  return new WorkflowFailedError(
    'Workflow execution cancelled',
    new CancelledFailure('Workflow canceled'),
    RetryState.NON_RETRYABLE_FAILURE,
  );
}

function isCancellation(err: Error): boolean {
  return (
    err instanceof CancelledFailure ||
    (err instanceof ActivityFailure && err.cause instanceof CancelledFailure)
  );
}

/** Payloads travel as JSON on Temporal: the same here (results are tagged first, see `encodeResult`). */
export function roundTrip<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Where handles find jobs by id. */
export interface JobLookup {
  get(id: string): InMemoryJob | undefined;
  delete(job: InMemoryJob): void;
  /** Starts a closed job again under a new id, with the same envelope (`retry()`). */
  relaunch(job: InMemoryJob, id: string, queue?: string): InMemoryJob;
}

/** A `JobHandle` over an in-memory job; like Temporal's, it looks the job up on every call. */
export function createInMemoryJobHandle<T>(jobs: JobLookup, id: string, request?: string): JobHandle<T> {
  const find = (): InMemoryJob => {
    const job = jobs.get(id);
    if (!job) throw new JobNotFoundError(id, { request, jobId: id });
    return job;
  };
  const describe = (): Promise<JobDescription> =>
    attempt(() => {
      const job = find();
      return {
        id,
        runId: job.runId,
        request: job.request,
        status: job.status(),
        queue: job.queue,
        description: job.description,
        startTime: job.startTime,
        executionTime: job.executionTime,
        closeTime: job.closeTime,
        historyLength: job.historyLength,
      };
    });
  return {
    id,
    request,
    describe,
    status: () => attempt(() => find().status()),
    async result() {
      const job = await attempt(find);
      const closed = await job.outcome();
      if (closed.status === 'completed') return decodeResult<T>(closed.value);
      throw translateJobError(closed.failure, { request: request ?? job.request, jobId: id });
    },
    cancel: () => attempt(() => find().cancel()),
    logs: () => attempt(() => [...(find().console?.lines ?? [])]),
    progress: () => attempt(() => find().console?.progress ?? null),
    retry: (options) =>
      attempt(() => retryInMemory<T>(jobs, { id, request, options }, createInMemoryJobHandle).job),
    delete: () =>
      attempt(() => {
        const job = find();
        job.terminate('Workflow execution deleted');
        jobs.delete(job);
      }),
  };
}

/** Runs synchronously, reporting errors as a rejected promise (handles are async on Temporal). */
function attempt<R>(op: () => R): Promise<R> {
  try {
    return Promise.resolve(op());
  } catch (err) {
    return Promise.reject(toError(err));
  }
}
