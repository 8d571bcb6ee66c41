/**
 * The jobs and dispatch records of one in-memory mediator, and how a job starts: the Temporal
 * path's `startJob` (same envelope, checks, defaults and id-conflict policy) without a server.
 */
import { defaultJobId } from '../core/ids.js';
import type { AnyDefinition } from '../contracts/definitions.js';
import type { JobOptions, JobPlan } from '../dispatch/plan.js';
import { buildEnvelope, checkPayload, startDelayMs } from '../dispatch/plan.js';
import { optionalMs } from '../core/durations.js';
import type { Envelope } from '../dispatch/envelope.js';
import type { JobHandle } from '../jobs/handle.js';
import type { DispatchMode, Metadata } from '../contracts/pipeline.js';
import type { DesiredSchedule } from '../recurring/options.js';
import type { JobIdReuse } from '../jobs/ids.js';
import { JobIdConflictError, idPolicies } from '../jobs/ids.js';
import type { JobStart } from './job.js';
import { InMemoryJob, roundTrip } from './job.js';
import { createInMemoryJobHandle } from './job-handle.js';
import type { JobLookup } from './lookup.js';
import type { ResolvedInMemoryOptions } from './options.js';
import { jobPriority } from '../dispatch/priority.js';
import type { DispatchRecord } from './records.js';
import { DispatchLog } from './dispatch-log.js';

/** A dispatch to record (the store adds the time and copies what could change). */
export interface RecordInit {
  mode: DispatchMode;
  definition: AnyDefinition;
  input: unknown;
  metadata: Metadata;
  jobId?: string;
  options?: JobOptions;
}

const EMPTY = Object.freeze({});

/**
 * A record's own copy, or one shared frozen `{}` when there is nothing to copy (most `send` calls):
 * kept records outlive the young generation, so every object they hold is GC work on the hot path.
 */
function copyOrEmpty<T extends object>(value: T | undefined): T {
  for (const key in value) if (Object.hasOwn(value, key)) return { ...value };
  return EMPTY as T;
}

/** Jobs by id, and every dispatch seen. */
export class JobStore implements JobLookup {
  readonly #log: DispatchLog;
  readonly #jobs = new Map<string, InMemoryJob>();
  /** Finished jobs in the order they closed, for retention. */
  readonly #finished = new Map<string, InMemoryJob>();
  readonly #options: ResolvedInMemoryOptions;

  constructor(options: ResolvedInMemoryOptions) {
    this.#options = options;
    this.#log = new DispatchLog(options.maxRecords);
  }

  get(id: string): InMemoryJob | undefined {
    this.#evict();
    return this.#jobs.get(id);
  }

  delete(job: InMemoryJob): void {
    if (this.#jobs.get(job.jobId) === job) this.#jobs.delete(job.jobId);
    if (this.#finished.get(job.jobId) === job) this.#finished.delete(job.jobId);
  }

  /** Jobs held (running, waiting or finished within the retention). */
  get size(): number {
    return this.#jobs.size;
  }

  /** Every job held, for `jobs()` and `countJobs()`. */
  list(): InMemoryJob[] {
    this.#evict();
    return [...this.#jobs.values()];
  }

  /** Starts a closed job again under a new id, with the same envelope (`retry()`). */
  relaunch(job: InMemoryJob, id: string, queue?: string): InMemoryJob {
    const { envelope, description, jobTimeoutMs } = job;
    const console = job.console !== undefined;
    return this.#launch({
      id,
      envelope,
      queue: queue ?? job.queue,
      description,
      delayMs: 0,
      jobTimeoutMs,
      console,
      retryOf: job.jobId,
    });
  }

  /** Forgets finished jobs past the retention, and the oldest beyond `maxFinishedJobs`. */
  #evict(): void {
    const { retentionMs, maxFinishedJobs, clock } = this.#options;
    const now = clock.now();
    for (const [id, job] of this.#finished) {
      const expired = (job.closeTime?.getTime() ?? now) + retentionMs <= now;
      if (!expired && this.#finished.size <= maxFinishedJobs) break;
      this.#finished.delete(id);
      if (this.#jobs.get(id) === job) this.#jobs.delete(id);
    }
  }

  /** The dispatch records kept (the last `maxRecords`), oldest first; one array, updated when read. */
  get records(): DispatchRecord[] {
    return this.#log.list();
  }

  /** Starts the job of a plan, or finds the one with the same id, and records the dispatch. */
  start(plan: JobPlan): JobHandle {
    const { definition: def, options } = plan;
    const resolved = this.#options.mediator;
    const { envelope, queue, description } = buildEnvelope(plan, resolved);
    checkPayload(envelope, resolved.maxPayloadBytes);
    const jobId = options.jobId ?? defaultJobId(def.name);
    const jobTimeoutMs = optionalMs(
      options.jobTimeout ?? def.jobTimeout ?? resolved.defaults.jobTimeout,
      'jobTimeout',
      def.name,
    );
    const delayMs = startDelayMs(def, options, this.#options.clock.now());
    jobPriority(options, def.name);
    // Same id: one job (Temporal's USE_EXISTING / REJECT_DUPLICATE); the caller gets that job and its
    // result, unless `jobIdReuse` lets a closed one run again.
    idPolicies(options.jobIdReuse, def.name);
    const existing = this.get(jobId);
    if (existing && !reusable(existing, options.jobIdReuse) && existing.request !== def.name) {
      throw new JobIdConflictError(def.name, jobId, `request '${existing.request}'`);
    }
    if (!existing || reusable(existing, options.jobIdReuse)) {
      const console = def.console !== false;
      this.#launch({ id: jobId, envelope, queue, description, delayMs: delayMs ?? 0, jobTimeoutMs, console });
    }
    const { mode, input, metadata } = plan;
    this.record({ mode, definition: def, input, metadata, jobId, options });
    // The handle stays on the job this call started or found, as a Temporal start handle stays on its run.
    return createInMemoryJobHandle(this, jobId, def.name, this.#jobs.get(jobId));
  }

  /** Starts one run of a recurring job; `undefined` when a job with that id exists. */
  startRun(desired: DesiredSchedule, jobId: string): InMemoryJob | undefined {
    if (this.get(jobId)) return undefined;
    const envelope = desired.action.args?.[0] as Envelope;
    const timeout: unknown = desired.action.workflowExecutionTimeout;
    const job = this.#launch({
      id: jobId,
      envelope,
      queue: desired.action.taskQueue,
      description: desired.action.staticSummary ?? envelope.request,
      delayMs: 0,
      jobTimeoutMs: timeout === undefined ? undefined : optionalMs(timeout, 'jobTimeout', envelope.request),
      console: true,
    });
    const { request: name, kind, input, metadata } = envelope;
    const run = {
      mode: 'recurring' as const,
      definition: { name, kind },
      input,
      jobId,
      recurringId: desired.id,
    };
    this.#log.add(run, { ...metadata }, {}, this.#options.clock.now());
    return job;
  }

  record(r: RecordInit): void {
    if (this.#options.maxRecords === 0) return;
    const now = this.#options.clock.now();
    this.#log.add(r, copyOrEmpty(r.metadata), copyOrEmpty(r.options), now);
  }

  /** Resolves once no job is running (delayed jobs that have not started do not count). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const open = [...this.#jobs.values()].filter((j) => !j.closed && j.status() !== 'scheduled');
      if (!open.length) return;
      await Promise.all(open.map((j) => j.outcome()));
    }
  }

  /** Terminates every open job. */
  terminateAll(reason: string): void {
    for (const job of this.#jobs.values()) job.terminate(reason);
  }

  #launch(start: JobStart): InMemoryJob {
    this.#evict();
    const { worker, handlers, clock } = this.#options;
    // The envelope travels as JSON on Temporal: the same here, so both reject and transform alike.
    const job = new InMemoryJob(
      { ...start, envelope: roundTrip(start.envelope), console: start.console && worker.console },
      { handlers, logger: worker.logger, validate: worker.validate, clock },
    );
    this.#jobs.set(start.id, job);
    this.#finished.delete(start.id);
    void job.outcome().then(() => {
      if (this.#jobs.get(start.id) === job) this.#finished.set(start.id, job);
    });
    return job;
  }
}

/** Whether a start with `reuse` runs again over the job holding its id (Temporal's reuse policies). */
function reusable(job: InMemoryJob, reuse: JobIdReuse | undefined): boolean {
  if (!job.closed) return false;
  if (reuse === 'rerun-always') return true;
  return reuse === 'rerun-if-failed' && job.status() !== 'completed';
}
