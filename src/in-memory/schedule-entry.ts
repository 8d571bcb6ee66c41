/** One in-memory recurring job's state, and its description as `RecurringHandle.describe()` returns it. */
import type { ScheduleSpecDescription } from '@temporalio/client';
import { toMs } from '../core/durations.js';
import type { JobStatus } from '../jobs/handle.js';
import type { DesiredSchedule } from '../recurring/options.js';
import type { RecurringDescription, RecurringRun } from '../recurring/handle.js';
import { summarizeSpec } from '../recurring/handle.js';
import type { ClockTimer } from './clock.js';

/** One recurring job held in memory: its plan, state and recent runs. */
export interface ScheduleEntry {
  desired: DesiredSchedule;
  /** The mark written at creation (Temporal cannot change a schedule's memo). */
  created: { owner: string; request: string };
  paused: boolean;
  note: string | undefined;
  recent: RecurringRun[];
  running: Set<string>;
  buffered: Date[];
  timer: ClockTimer | undefined;
}

/** What `describe()` shows of a recurring job. */
export function describeSchedule(
  id: string,
  e: ScheduleEntry,
  nextRunTimes: Date[],
  jobStatus: (jobId: string) => JobStatus | undefined,
): RecurringDescription {
  const { desired } = e;
  const spec = desired.spec;
  const described: ScheduleSpecDescription = {
    intervals: spec.intervals?.map((i) => ({ every: toMs(i.every, 'every'), offset: 0 })),
    timezone: spec.timezone,
    jitter: spec.jitter === undefined ? undefined : toMs(spec.jitter, 'jitter'),
    startAt: spec.startAt,
    endAt: spec.endAt,
  };
  const args = desired.action.args as unknown[] | undefined;
  const envelope = args?.[0] as { request?: string } | undefined;
  return {
    id,
    request: envelope?.request ?? desired.request,
    owner: e.created.owner,
    paused: e.paused,
    note: e.note,
    nextRunTimes,
    recentRuns: e.recent.map((r) => {
      const status = jobStatus(r.jobId);
      return status ? { ...r, status } : { ...r };
    }),
    runningJobIds: [...e.running],
    spec: summarizeSpec(described, desired.mark),
    queue: desired.action.taskQueue,
    description: desired.action.staticSummary,
    overlap: desired.policies.overlap,
    pauseOnFailure: desired.policies.pauseOnFailure,
  };
}
