/**
 * One in-memory job: the state Temporal keeps for a workflow execution (status, times, console,
 * outcome), its timers (start delay, job timeout) and its cancellation, plus the `JobHandle` over it.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../dispatch/envelope.js';
import { describeFailure } from '../jobs/failure-info.js';
import { handlerAbortReason } from '../jobs/abort-reason.js';
import type { JobDescription, JobStatus } from '../jobs/handle.js';
import { encodeResult } from '../core/results.js';
import type { WorkerView } from './attempt.js';
import type { ClockTimer } from './clock.js';
import { JobConsole } from './console.js';
import type { JobOutcome } from './outcome.js';
import type { WorkflowScope } from './workflow.js';
import { executeInMemory } from './workflow.js';

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
  #status: 'scheduled' | 'running' | JobOutcome['status'] = 'running';
  #closed: JobOutcome | undefined;
  #waiters: ((closed: JobOutcome) => void)[] = [];
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

  /** What `describe()` and the job listings both show. */
  facts(): Omit<JobDescription, 'historyLength' | 'lane'> {
    return {
      id: this.jobId,
      runId: this.runId,
      request: this.request,
      status: this.status(),
      queue: this.queue,
      description: this.description,
      startTime: this.startTime,
      executionTime: this.executionTime,
      closeTime: this.closeTime,
    };
  }

  /** Waits for the end of the job. */
  outcome(): Promise<JobOutcome> {
    if (this.#closed) return Promise.resolve(this.#closed);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Requests cancellation: a delayed job never starts; a running handler sees its abort signal. */
  cancel(): void {
    if (this.#closed || this.#cancelRequested) return;
    this.#cancelRequested = true;
    this.historyLength++;
    if (this.#status === 'scheduled') {
      this.#close({ status: 'cancelled' });
      return;
    }
    for (const controller of this.#attempts) controller.abort(handlerAbortReason('CANCELLED'));
    for (const wake of this.#sleepers) wake('cancelled');
  }

  /** Ends the job at once (delete, `TERMINATE_OTHER`); running handlers see their abort signal. */
  terminate(reason: string): void {
    if (this.#closed) return;
    this.#close({ status: 'terminated', reason });
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
    if (this.#closed) controller.abort(handlerAbortReason('NOT_FOUND'));
    this.#attempts.add(controller);
    return () => this.#attempts.delete(controller);
  }

  #run(): void {
    if (this.#closed) return;
    this.#status = 'running';
    this.historyLength += 2;
    executeInMemory(this).then(
      (outcome) => {
        if (outcome.status === 'closed') return;
        this.#close(
          outcome.status === 'completed'
            ? { status: 'completed', value: roundTrip(encodeResult(outcome.value)) }
            : outcome,
        );
      },
      // Not a handler's failure (those are outcomes): a fault of this backend, reported as the job's failure.
      (err: unknown) =>
        this.#close({
          status: 'failed',
          failure: { kind: 'error', info: describeFailure(err, 1), thrown: err },
        }),
    );
  }

  #timeOut(): void {
    this.#close({ status: 'timed_out' });
  }

  #close(closed: JobOutcome): void {
    if (this.#closed) return;
    this.#closed = closed;
    this.#status = closed.status;
    this.closeTime = new Date(this.worker.clock.now());
    this.historyLength++;
    for (const timer of this.#timers) timer.cancel();
    // Handlers still running learn it like a worker does at its next heartbeat.
    for (const controller of this.#attempts) controller.abort(handlerAbortReason('NOT_FOUND'));
    for (const wake of this.#sleepers) wake('closed');
    for (const resolve of this.#waiters.splice(0)) resolve(closed);
  }
}

/** Payloads travel as JSON on Temporal: the same here (results are tagged first, see `encodeResult`). */
export function roundTrip<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
