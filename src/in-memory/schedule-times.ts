/** When an in-memory recurring job is due: `every` intervals on the clock, cron strings in backfills. */
import { toMs } from '../core/durations.js';
import type { DesiredSchedule } from '../recurring/options.js';
import { cronTimes } from './cron-times.js';

function intervalMs(desired: DesiredSchedule): number | undefined {
  const every: unknown = desired.spec.intervals?.[0]?.every;
  return every === undefined ? undefined : toMs(every, 'every');
}

/** The first due time strictly after `after`, within `startAt`/`endAt`; none for cron (not run on the clock). */
export function nextTime(desired: DesiredSchedule, after: number): number | undefined {
  const every = intervalMs(desired);
  if (every === undefined || every <= 0) return undefined;
  const { startAt, endAt } = desired.spec;
  const from = Math.max(after, startAt ? startAt.getTime() - 1 : after);
  const t = Math.floor(from / every) * every + every;
  return endAt && t > endAt.getTime() ? undefined : t;
}

/** The runs that were due in [start, end]: interval times aligned to the epoch, or the cron string's times. */
export function backfillTimes(desired: DesiredSchedule, start: Date, end: Date): Date[] {
  const every = intervalMs(desired);
  if (every === undefined) {
    const cron = desired.mark.cron;
    return cron === undefined ? [] : cronTimes(cron, desired.spec.timezone ?? 'UTC', start, end);
  }
  const out: Date[] = [];
  for (let t = Math.ceil(start.getTime() / every) * every; t <= end.getTime(); t += every)
    out.push(new Date(t));
  return out;
}
