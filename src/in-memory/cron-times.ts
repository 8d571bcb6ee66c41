/**
 * The times a cron string (already checked by `validateCron`) fires in a window, in its time zone:
 * what the in-memory mediator's `backfill()` runs. Fields match as Temporal's calendar specs do: every
 * field must match (day-of-month and day-of-week together, not either).
 */
import { InvalidOptionError } from '../core/errors.js';

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const GO_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MINUTE_MS = 60_000;
/** Longest window evaluated minute by minute (a little over a year). */
const MAX_WINDOW_MS = 400 * 86_400_000;

type Range = [min: number, max: number];
const SECOND: Range = [0, 59];
const LAYOUT5: Range[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const YEAR: Range = [2000, 2100];

/** Fire times of `cron` in [start, end], ascending. */
export function cronTimes(cron: string, zone: string, start: Date, end: Date): Date[] {
  let body = cron.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S*)\s+(.*)$/.exec(body);
  if (tz) {
    zone = tz[1] ?? zone;
    body = tz[2] ?? '';
  }
  const comment = body.search(/\s#/);
  if (comment >= 0) body = body.slice(0, comment);
  body = body.trim();
  if (body.startsWith('@every')) return everyTimes(body.split(/\s+/)[1] ?? '', start, end);
  body = SHORTHANDS[body] ?? body;
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) {
    throw new InvalidOptionError(
      'end',
      'the in-memory mediator backfills a cron schedule over at most 400 days',
    );
  }
  const parts = body.split(/\s+/);
  const withSeconds = parts.length === 7;
  const fields = withSeconds ? parts.slice(1) : parts;
  const seconds = withSeconds ? parse(parts[0] ?? '*', SECOND) : new Set([0]);
  const [minute, hour, dom, month, dowRaw] = LAYOUT5.map((r, i) => parse(fields[i] ?? '*', r, i));
  const dow = new Set([...(dowRaw ?? [])].map((d) => d % 7));
  const years = fields[5] === undefined ? undefined : parse(fields[5], YEAR);
  const local = zonedParts(zone);
  const out: Date[] = [];
  for (let t = Math.floor(start.getTime() / MINUTE_MS) * MINUTE_MS; t <= end.getTime(); t += MINUTE_MS) {
    const p = local(t);
    if (
      minute?.has(p.minute) &&
      hour?.has(p.hour) &&
      dom?.has(p.day) &&
      month?.has(p.month) &&
      dow.has(p.weekday) &&
      (!years || years.has(p.year))
    ) {
      for (const s of [...seconds].sort((a, b) => a - b)) {
        const at = t + s * 1_000;
        if (at >= start.getTime() && at <= end.getTime()) out.push(new Date(at));
      }
    }
  }
  return out;
}

function everyTimes(arg: string, start: Date, end: Date): Date[] {
  const [every = '', phase = '0s'] = arg.split('/');
  const step = goMs(every);
  const offset = goMs(phase);
  const out: Date[] = [];
  if (step <= 0) return out;
  for (let t = Math.ceil((start.getTime() - offset) / step) * step + offset; t <= end.getTime(); t += step) {
    out.push(new Date(t));
  }
  return out;
}

function goMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g))
    total += Number(m[1]) * (GO_UNITS_MS[m[2] ?? ''] ?? 0);
  return total;
}

function parse(part: string, [min, max]: Range, index = -1): Set<number> {
  const names = index === 3 ? MONTHS : index === 4 ? DAYS : undefined;
  const num = (token: string) => {
    const at = names?.findIndex((n) => token.toLowerCase().startsWith(n)) ?? -1;
    return at >= 0 ? at + (index === 3 ? 1 : 0) : Number(token);
  };
  const out = new Set<number>();
  for (const item of part.split(',')) {
    const [range = '*', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      from = num(a);
      // `5/15` runs from 5 to the end of the field; a lone value is just itself.
      to = b !== undefined ? num(b) : stepText !== undefined ? max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

function zonedParts(zone: string): (t: number) => LocalParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  return (t) => {
    const p: Record<string, string> = {};
    for (const { type, value } of format.formatToParts(t)) p[type] = value;
    return {
      year: Number(p.year),
      month: Number(p.month),
      day: Number(p.day),
      hour: Number(p.hour),
      minute: Number(p.minute),
      weekday: DAYS.indexOf((p.weekday ?? '').toLowerCase().slice(0, 3)),
    };
  };
}
