/**
 * Recurring jobs in memory: the same validation and plan as the Temporal Schedules path
 * (`planSchedule`, `decideUpsert`), fired on the mediator's clock. `every` intervals run on the
 * clock (aligned to the Unix epoch, as on Temporal); cron strings are checked and kept, and run on
 * `trigger()` and `backfill()` (which evaluates them over the window), not on the clock.
 */
import { toMs } from '../core/durations.js';
import { toError } from '../core/errors.js';
import type { JobStatus } from '../jobs/handle.js';
import type { Logger } from '../core/logger.js';
import type { DesiredSchedule, RecurringOverlap } from '../recurring/options.js';
import type { RecurringHandle, RecurringSummary } from '../recurring/handle.js';
import { RecurringNotFoundError, checkedBackfill } from '../recurring/handle.js';
import type { ExistingSchedule, UpsertOutcome } from '../recurring/sync.js';
import { decideUpsert } from '../recurring/sync.js';
import { EXECUTE_REQUEST_WORKFLOW } from '../../workflows/constants.js';
import type { Clock } from './clock.js';
import { backfillTimes, nextTime } from './schedule-times.js';
import type { InMemoryJob } from './job.js';
import type { ScheduleEntry } from './schedule-entry.js';
import { describeSchedule } from './schedule-entry.js';

/** Temporal keeps the last 10 runs of a schedule; describe lists this many next times too. */
const KEEP = 10;

/** What schedules need from the mediator. */
export interface ScheduleHost {
  clock: Clock;
  logger: Logger;
  /** Starts one run as an ordinary job; `undefined` when a job with that id exists already. */
  startRun(desired: DesiredSchedule, jobId: string): InMemoryJob | undefined;
  /** The status of a job, if it is still held. */
  jobStatus(jobId: string): JobStatus | undefined;
}

/** The recurring jobs of one in-memory mediator. */
export class InMemorySchedules {
  readonly #entries = new Map<string, ScheduleEntry>();
  /** Running jobs of every schedule, by id. */
  readonly #jobs = new Map<string, InMemoryJob>();
  readonly #host: ScheduleHost;

  constructor(host: ScheduleHost) {
    this.#host = host;
  }

  /** What an upsert of `desired` would do (throws for another owner's schedule). */
  decide(desired: DesiredSchedule): UpsertOutcome {
    return decideUpsert(desired, this.#existing(desired.id));
  }

  /** Creates or updates a schedule; an update keeps its paused state, as on Temporal. */
  apply(desired: DesiredSchedule, outcome: UpsertOutcome): void {
    if (outcome === 'unchanged') return;
    const old = this.#entries.get(desired.id);
    // A new request too is updated in place, as on Temporal: never a moment without the schedule.
    if (old) {
      old.desired = desired;
      this.#arm(old);
      return;
    }
    const entry: ScheduleEntry = {
      desired,
      created: { owner: desired.owner, request: desired.request },
      paused: false,
      note: undefined,
      recent: [],
      running: new Set(),
      buffered: [],
      timer: undefined,
    };
    this.#entries.set(desired.id, entry);
    if (desired.mark.cron !== undefined) {
      this.#host.logger.warn(
        `recurring job '${desired.id}': the in-memory mediator does not run cron strings on its clock; it runs them on trigger() and backfill()`,
        { cron: desired.mark.cron },
      );
    }
    this.#arm(entry);
  }

  /** Ids of this owner's schedules that are not in `keep`. */
  ownedBy(owner: string, keep: Set<string>): string[] {
    return [...this.#entries.entries()]
      .filter(([id, e]) => e.created.owner === owner && !keep.has(id))
      .map(([id]) => id);
  }

  remove(id: string): void {
    const entry = this.#entries.get(id);
    entry?.timer?.cancel();
    this.#entries.delete(id);
  }

  /** Stops every timer (the mediator is closing). */
  close(): void {
    for (const entry of this.#entries.values()) entry.timer?.cancel();
    this.#entries.clear();
  }

  async *list(): AsyncIterable<RecurringSummary> {
    for (const [id, e] of [...this.#entries]) {
      yield {
        id,
        request: e.desired.request,
        owner: e.created.owner,
        mediatorOwned: true,
        workflowType: EXECUTE_REQUEST_WORKFLOW,
        paused: e.paused,
        note: e.note,
        nextRunTimes: this.#nextTimes(e),
      };
      await Promise.resolve();
    }
  }

  handle(id: string): RecurringHandle {
    const entry = (): ScheduleEntry => {
      const e = this.#entries.get(id);
      if (!e) throw new RecurringNotFoundError(id);
      return e;
    };
    const op = <R>(fn: (e: ScheduleEntry) => R): Promise<R> => {
      try {
        return Promise.resolve(fn(entry()));
      } catch (err) {
        return Promise.reject(toError(err));
      }
    };
    return {
      id,
      describe: () =>
        op((e) => describeSchedule(id, e, this.#nextTimes(e), (jobId) => this.#host.jobStatus(jobId))),
      trigger: (options = {}) =>
        op((e) => this.#take(e, new Date(this.#host.clock.now()), options.overlap ?? 'ALLOW_ALL')),
      pause: (note = 'Paused via temporal-mediator') =>
        op((e) => {
          e.paused = true;
          e.note = note;
          this.#arm(e);
        }),
      resume: (note = 'Resumed via temporal-mediator') =>
        op((e) => {
          e.paused = false;
          e.note = note;
          this.#arm(e);
        }),
      remove: () => op(() => this.remove(id)),
      backfill: (start, end, options = {}) =>
        checkedBackfill(start, end, () =>
          op((e) => {
            const overlap = options.overlap ?? 'BUFFER_ALL';
            for (const t of backfillTimes(e.desired, start, end)) this.#take(e, t, overlap);
          }),
        ),
    };
  }

  #existing(id: string): ExistingSchedule {
    const e = this.#entries.get(id);
    if (!e) return { kind: 'missing' };
    return { kind: 'present', owner: e.created.owner, request: e.desired.request, hash: e.desired.mark.hash };
  }

  #nextTimes(e: ScheduleEntry): Date[] {
    const out: Date[] = [];
    for (
      let t = nextTime(e.desired, this.#host.clock.now());
      t !== undefined && out.length < KEEP;
      t = nextTime(e.desired, t)
    ) {
      out.push(new Date(t));
    }
    return out;
  }

  /** (Re)sets the timer of the next due run. */
  #arm(e: ScheduleEntry): void {
    e.timer?.cancel();
    e.timer = undefined;
    if (e.paused || !this.#entries.has(e.desired.id)) return;
    const due = nextTime(e.desired, this.#host.clock.now());
    if (due === undefined) return;
    const jitter =
      e.desired.spec.jitter === undefined ? 0 : Math.random() * toMs(e.desired.spec.jitter, 'jitter');
    e.timer = this.#host.clock.setTimer(
      () => {
        e.timer = undefined;
        this.#take(e, new Date(due), e.desired.policies.overlap);
        this.#arm(e);
      },
      due + jitter - this.#host.clock.now(),
    );
  }

  /** One due (or triggered) run, under an overlap policy. */
  #take(e: ScheduleEntry, scheduledAt: Date, overlap: RecurringOverlap): void {
    if (e.running.size === 0 || overlap === 'ALLOW_ALL') return this.#start(e, scheduledAt);
    switch (overlap) {
      case 'SKIP':
        return;
      case 'BUFFER_ONE':
        if (e.buffered.length === 0) e.buffered.push(scheduledAt);
        return;
      case 'BUFFER_ALL':
        e.buffered.push(scheduledAt);
        return;
      case 'CANCEL_OTHER':
        // The new run starts once the cancelled one has finished.
        e.buffered = [scheduledAt];
        for (const job of this.#runningJobs(e)) job.cancel();
        return;
      case 'TERMINATE_OTHER':
        for (const job of this.#runningJobs(e)) job.terminate('Terminated by the schedule overlap policy');
        return this.#start(e, scheduledAt);
    }
  }

  #runningJobs(e: ScheduleEntry): InMemoryJob[] {
    return [...e.running].flatMap((id) => this.#jobs.get(id) ?? []);
  }

  #start(e: ScheduleEntry, scheduledAt: Date): void {
    const jobId = `${e.desired.action.workflowId}-${scheduledAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
    const job = this.#host.startRun(e.desired, jobId);
    if (!job) {
      // Temporal cannot start a second workflow with the same id either.
      this.#host.logger.warn(
        `recurring job '${e.desired.id}': run ${jobId} exists already; not started again`,
      );
      return;
    }
    const startedAt = new Date(this.#host.clock.now());
    e.recent.push({ jobId, scheduledAt, startedAt });
    if (e.recent.length > KEEP) e.recent.splice(0, e.recent.length - KEEP);
    e.running.add(jobId);
    this.#jobs.set(jobId, job);
    void job.outcome().then((closed) => {
      e.running.delete(jobId);
      this.#jobs.delete(jobId);
      if (
        e.desired.policies.pauseOnFailure &&
        (closed.status === 'failed' || closed.status === 'timed_out')
      ) {
        e.paused = true;
        e.note = `Paused: run ${jobId} ${closed.status === 'failed' ? 'failed' : 'timed out'}`;
        this.#arm(e);
      }
      const next = e.running.size === 0 ? e.buffered.shift() : undefined;
      if (next && this.#entries.get(e.desired.id) === e) this.#start(e, next);
    });
  }
}
