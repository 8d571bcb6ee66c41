/**
 * The types of jobs: their status, description and handle (implemented per lane and per backend),
 * in a module of their own so the handle implementations and job operations share them without
 * importing each other.
 */
import type { ConsoleLine, Progress } from '../observability/console.js';

/** Options of `job.retry()`. */
export interface RetryJobOptions {
  /**
   * The retry's job id. A given id is used as is (an existing job with it is returned, not re-run).
   * @default `${originalId}~retry-1`, or the next free `~retry-<n>` when that one failed too
   */
  jobId?: string;
  /** The task queue the retry runs on. @default the original job's queue */
  queue?: string;
}

/** Where a job is. `scheduled`: started with a delay that has not elapsed. */
export type JobStatus =
  | 'scheduled'
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed_out'
  | 'continued_as_new'
  | 'unknown';

/** What `describe()` reports. */
export interface JobDescription {
  id: string;
  runId: string;
  /** The request name (from the search attribute). */
  request: string | undefined;
  status: JobStatus;
  queue: string;
  /** The description (the Web UI summary). */
  description: string | undefined;
  startTime: Date;
  /** When the handler may start (later than `startTime` for delayed jobs). */
  executionTime: Date | undefined;
  closeTime: Date | undefined;
  /** Events in the job's history (0 on the standalone lane: one activity execution, no history). */
  historyLength: number;
  /** `'standalone'` for a job on the standalone lane; absent for workflow jobs (`'workflow'` and `'fast'` lanes). */
  lane?: 'standalone';
}

/** A job that lives on the server: its status, result and cancellation, from any process. */
export interface JobHandle<T = unknown> {
  /** The job id (workflow id). */
  readonly id: string;
  /** The request name, when known to this handle. */
  readonly request: string | undefined;
  /** The job's status. */
  status(): Promise<JobStatus>;
  /** Waits for and returns the result; throws the mediator's error classes on failure. */
  result(): Promise<T>;
  /** Requests cancellation; the handler sees its abort signal. */
  cancel(): Promise<void>;
  /** Status, queue, times and description. */
  describe(): Promise<JobDescription>;
  /** Deletes the job and its history (for cleanup before namespace retention does it). */
  delete(): Promise<void>;
  /**
   * The job's console: the handler's `ctx.log` lines (the last 1,000), from any process. Reading a
   * finished job's console needs a worker on its queue (Temporal answers the query by replay).
   */
  logs(): Promise<ConsoleLine[]>;
  /**
   * The latest `ctx.progress()` report, or `null` before the first one: the newer of what the job's
   * console shipped and what the running attempt's heartbeat carries (exact once the console's
   * shipments are spent).
   */
  progress(): Promise<Progress | null>;
  /**
   * Runs a failed, cancelled, terminated or timed-out job again with the same input and envelope,
   * as a new job `<id>~retry-<n>` linked to this one (`retryOf`), which stays for history; returns
   * the retry's handle. Idempotent: a job already retried returns its retry. From any process.
   * Throws `JobNotRetryableError` for a running, scheduled or completed job (nothing is started).
   *
   * @example
   * const again = await mediator.job(SendEmail, id).retry();
   * await again.result();
   */
  retry(options?: RetryJobOptions): Promise<JobHandle<T>>;
}
