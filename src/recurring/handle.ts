/**
 * Recurring jobs: Temporal Schedules whose action starts the mediator's `executeRequest` workflow
 * with the same envelope as `enqueue`, so `temporal schedule list/describe/trigger/toggle/delete`
 * and the Web UI work on them, and their runs are ordinary jobs (`mediator.job(id)`).
 */
import type { Client, ScheduleDescription, ScheduleSpecDescription } from '@temporalio/client';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Duration } from '../core/durations.js';
import type { MediatorErrorContext } from '../core/errors.js';
import { InvalidOptionError, MediatorError, toError } from '../core/errors.js';
import type { JobStatus } from '../jobs/handle.js';
import { MEDIATOR_REQUEST, createJobHandle } from '../jobs/handle.js';
import type { RecurringOverlap } from './options.js';
import { readMark } from './options.js';

/**
 * No schedule with that id exists (never created, or removed). Code `RECURRING_NOT_FOUND`.
 */
export class RecurringNotFoundError extends MediatorError {
  override readonly name = 'RecurringNotFoundError';
  /** The recurring job (schedule) id. */
  readonly recurringId: string;
  constructor(recurringId: string, context: MediatorErrorContext = {}) {
    super(
      'RECURRING_NOT_FOUND',
      `Recurring job '${recurringId}' not found (never created, or removed)`,
      context,
    );
    this.recurringId = recurringId;
  }
}

/** One run a schedule started: an ordinary job. */
export interface RecurringRun {
  /** Job id (workflow id): pass it to `mediator.job(jobId)`. */
  jobId: string;
  /** When the run was due (jitter included). */
  scheduledAt: Date;
  /** When the schedule started it. */
  startedAt: Date;
  /** The job's status, when it could be read. */
  status?: JobStatus;
}

/** When a schedule runs, in readable form. */
export interface RecurringSpecSummary {
  /** The cron string as given to `addOrUpdate` (the server keeps only its calendar form). */
  cron: string | undefined;
  /** The interval as given to `addOrUpdate`, or the server's interval in ms. */
  every: Duration | undefined;
  /** The time zone cron strings are read in. */
  timezone: string;
  /** Maximum random delay of each run, ms. */
  jitterMs: number;
  startAt: Date | undefined;
  endAt: Date | undefined;
  /** One line, e.g. `cron "0 2 * * *" (Europe/Paris)` or `every 2s`. */
  text: string;
}

/** What {@link RecurringHandle.describe} reports. */
export interface RecurringDescription {
  id: string;
  /** The request each run executes (from the envelope), when the action is the mediator's workflow. */
  request: string | undefined;
  /** Owner id of the ownership mark, or `undefined` for schedules not made by the mediator. */
  owner: string | undefined;
  paused: boolean;
  /** The schedule's note: the reason it was paused or resumed. */
  note: string | undefined;
  /** The next due times (a few). */
  nextRunTimes: Date[];
  /** The most recent runs (Temporal keeps the last 10), oldest first. */
  recentRuns: RecurringRun[];
  /** Job ids of runs still running. */
  runningJobIds: string[];
  spec: RecurringSpecSummary;
  /** Task queue of the runs. */
  queue: string | undefined;
  /** The description (each run's Web UI summary). */
  description: string | undefined;
  overlap: RecurringOverlap;
  pauseOnFailure: boolean;
}

/** A recurring job on the server, by id. Every method throws {@link RecurringNotFoundError} once it is gone. */
export interface RecurringHandle {
  readonly id: string;
  /** State, spec, next and recent runs. */
  describe(): Promise<RecurringDescription>;
  /** Starts one run now. `overlap` @default 'ALLOW_ALL' (runs even if a previous run is still running) */
  trigger(options?: { overlap?: RecurringOverlap }): Promise<void>;
  /** Stops future runs (running ones go on). `note` @default 'Paused via temporal-mediator' */
  pause(note?: string): Promise<void>;
  /** Resumes future runs. `note` @default 'Resumed via temporal-mediator' */
  resume(note?: string): Promise<void>;
  /** Deletes the schedule; running jobs go on. */
  remove(): Promise<void>;
  /**
   * Takes the runs that were due between `start` and `end` now, as if that time passed again.
   * `overlap` @default 'BUFFER_ALL' (every due run, one after another)
   */
  backfill(start: Date, end: Date, options?: { overlap?: RecurringOverlap }): Promise<void>;
}

/** A schedule on the namespace, as `listRecurring` yields it. */
export interface RecurringSummary {
  id: string;
  /** Request name, from the ownership mark (mediator-made schedules only). */
  request: string | undefined;
  /** Owner id, or `undefined` when the schedule was not made by the mediator. */
  owner: string | undefined;
  /** Whether the mediator made it (it carries the ownership mark). */
  mediatorOwned: boolean;
  /** Workflow type of the action (`executeRequest` for mediator jobs). */
  workflowType: string | undefined;
  paused: boolean;
  note: string | undefined;
  nextRunTimes: Date[];
}

/** Runs a schedule operation, translating "not found" into {@link RecurringNotFoundError}. */
export async function onSchedule<T>(id: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new RecurringNotFoundError(id, { cause: err });
    throw err;
  }
}

/** Creates a handle for a schedule id (no server call). */
export function createRecurringHandle(client: Client, id: string): RecurringHandle {
  const handle = client.schedule.getHandle(id);
  return {
    id,
    describe: () => onSchedule(id, async () => describeSchedule(client, await handle.describe())),
    trigger: (options = {}) => onSchedule(id, () => handle.trigger(options.overlap ?? 'ALLOW_ALL')),
    pause: (note = 'Paused via temporal-mediator') => onSchedule(id, () => handle.pause(note)),
    resume: (note = 'Resumed via temporal-mediator') => onSchedule(id, () => handle.unpause(note)),
    remove: () => onSchedule(id, () => handle.delete()),
    backfill: (start, end, options = {}) =>
      checkedBackfill(start, end, () =>
        onSchedule(id, () => handle.backfill({ start, end, overlap: options.overlap ?? 'BUFFER_ALL' })),
      ),
  };
}

async function describeSchedule(client: Client, d: ScheduleDescription): Promise<RecurringDescription> {
  const actionMark = readMark(d.action.memo);
  const mark = actionMark ?? readMark(d.memo);
  const envelope = d.action.args?.[0] as { request?: unknown } | undefined;
  const request = typeof envelope?.request === 'string' ? envelope.request : mark?.request;
  const recentRuns = await Promise.all(
    d.info.recentActions.map(async (a): Promise<RecurringRun> => {
      const run: RecurringRun = {
        jobId: a.action.workflow.workflowId,
        scheduledAt: a.scheduledAt,
        startedAt: a.takenAt,
      };
      const status = await createJobHandle(client, run.jobId, request)
        .status()
        .catch(() => undefined);
      if (status) run.status = status;
      return run;
    }),
  );
  return {
    id: d.scheduleId,
    request,
    owner: readMark(d.memo)?.owner ?? actionMark?.owner,
    paused: d.state.paused,
    note: d.state.note || undefined,
    nextRunTimes: d.info.nextActionTimes,
    recentRuns,
    runningJobIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    spec: summarizeSpec(d.spec, mark),
    queue: d.action.taskQueue,
    description: d.action.staticSummary,
    overlap: d.policies.overlap ?? 'SKIP',
    pauseOnFailure: d.policies.pauseOnFailure,
  };
}

/** A readable summary of a schedule's spec; the mark supplies the cron string as written. */
export function summarizeSpec(
  spec: ScheduleSpecDescription,
  mark: { cron?: string; every?: Duration } | undefined,
): RecurringSpecSummary {
  const timezone = spec.timezone || 'UTC';
  const interval = spec.intervals?.[0]?.every;
  const cron = mark?.cron;
  const every = mark?.every ?? interval;
  const calendars = spec.calendars?.length ?? 0;
  const text =
    cron !== undefined
      ? `cron ${JSON.stringify(cron)} (${timezone})`
      : every !== undefined
        ? `every ${typeof every === 'number' ? `${every}ms` : every}`
        : calendars
          ? `${calendars} calendar spec(s) (${timezone})`
          : 'no times (trigger only)';
  return {
    cron,
    every,
    timezone,
    jitterMs: spec.jitter ?? 0,
    startAt: spec.startAt,
    endAt: spec.endAt,
    text,
  };
}

/** Every schedule on the namespace, marking the mediator-made ones. Listing is eventually consistent. */
export async function* listSchedules(client: Client): AsyncIterable<RecurringSummary> {
  for await (const s of client.schedule.list()) {
    const mark = readMark(s.memo);
    // The schedule's MediatorRequest follows request changes; the memo keeps the creation's.
    const current = s.typedSearchAttributes?.get(MEDIATOR_REQUEST);
    yield {
      id: s.scheduleId,
      request: (mark ? current : undefined) ?? mark?.request,
      owner: mark?.owner,
      mediatorOwned: mark !== undefined,
      workflowType: s.action?.workflowType,
      paused: s.state.paused,
      note: s.state.note || undefined,
      nextRunTimes: s.info.nextActionTimes,
    };
  }
}

/**
 * Runs a backfill once its window is checked (two valid Dates, the end not before the start); a bad
 * window is a rejection, like every other failure of the Promise-returning `backfill()`.
 */
export function checkedBackfill(start: Date, end: Date, run: () => Promise<void>): Promise<void> {
  try {
    assertBackfillRange(start, end);
  } catch (err) {
    return Promise.reject(toError(err));
  }
  return run();
}

function assertBackfillRange(start: Date, end: Date): void {
  for (const [name, date] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new InvalidOptionError(name, 'backfill needs valid Dates');
    }
  }
  if (end.getTime() < start.getTime()) throw new InvalidOptionError('end', 'backfill end is before start');
}
