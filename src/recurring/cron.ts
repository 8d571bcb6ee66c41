/**
 * Client-side checks of cron strings and time zones, so a bad recurring job fails at the caller with
 * a message naming the field and the reason, instead of a terse server error (or, worse, a string
 * the server accepts but reads differently: Temporal treats `MON#2` as `MON` plus a comment).
 *
 * The accepted syntax is what Temporal Schedules accept: 5 fields (minute hour day-of-month month
 * day-of-week), 6 (… year) or 7 (second … year); `*`, lists `a,b`, ranges `a-b`, steps `x/n`;
 * month and weekday names (`JAN`, `January`, `mon`); the shorthands `@yearly`, `@annually`,
 * `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` and `@every <interval>[/<phase>]`; an
 * optional `CRON_TZ=<zone>` or `TZ=<zone>` prefix and an optional trailing `# comment`.
 */
import { InvalidOptionError } from '../core/errors.js';

/** A cron string that passed {@link validateCron}. */
export interface CheckedCron {
  /** The expression to send to the server, without its `TZ=` prefix. */
  expression: string;
  /** The zone of a `CRON_TZ=`/`TZ=` prefix, if any. */
  timezone: string | undefined;
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Value of the first entry of `names`. */
  namesFrom?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 };
const DAY_OF_WEEK: Field = { name: 'day-of-week', min: 0, max: 7, names: DAYS, namesFrom: 0 };
// Temporal's own limits for the year field.
const YEAR: Field = { name: 'year', min: 2000, max: 2100 };

const LAYOUTS: Record<number, Field[]> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

const SHORTHANDS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+$/;
const GO_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

class CronProblem extends Error {}

/**
 * Checks a cron string the way Temporal will read it; throws an {@link InvalidOptionError} for
 * option `cron` that names the request and says why (field count, which field is out of range, which
 * token is not understood).
 *
 * @example
 * validateCron('0 2 * * MON-FRI'); // { expression: '0 2 * * MON-FRI', timezone: undefined }
 * validateCron('0 24 * * *');      // throws: hour 24 is out of range 0-23
 */
export function validateCron(cron: unknown, request?: string): CheckedCron {
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new InvalidOptionError('cron', 'must be a non-empty cron string such as "0 2 * * *"', { request });
  }
  try {
    return checkCron(cron);
  } catch (err) {
    if (!(err instanceof CronProblem)) throw err;
    throw new InvalidOptionError('cron', `${JSON.stringify(cron)}: ${err.message}`, { request });
  }
}

function checkCron(cron: string): CheckedCron {
  let rest = cron.trim();
  let timezone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S*)\s+(.*)$/.exec(rest);
  if (tz) {
    timezone = checkTimezone(tz[1] ?? '');
    rest = tz[2] ?? '';
  }
  const commentAt = rest.search(/\s#/);
  const body = (commentAt >= 0 ? rest.slice(0, commentAt) : rest).trim();
  if (body.startsWith('@')) {
    checkShorthand(body);
  } else {
    const parts = body.split(/\s+/);
    const layout = LAYOUTS[parts.length];
    if (!layout) {
      throw new CronProblem(
        `has ${parts.length} field(s); expected 5 (minute hour day-of-month month day-of-week), ` +
          `6 (… year) or 7 (second … year), or a shorthand such as @daily`,
      );
    }
    parts.forEach((part, i) => checkField(part, layout[i] as Field));
  }
  return { expression: rest, timezone };
}

function checkShorthand(body: string): void {
  const [word = '', arg, ...extra] = body.split(/\s+/);
  if (word === '@every') {
    if (arg === undefined || extra.length) {
      throw new CronProblem("'@every' takes one interval such as '@every 30m' or '@every 1h/15m'");
    }
    const [every = '', phase, ...more] = arg.split('/');
    if (more.length || !GO_DURATION.test(every) || (phase !== undefined && !GO_DURATION.test(phase))) {
      throw new CronProblem(
        `bad interval '${arg}'; use a number with a unit s, m, h or d, and an optional '/<phase>' (e.g. '90m/15m')`,
      );
    }
    if (goDurationMs(every) < 1_000) throw new CronProblem(`interval '${every}' is under 1s`);
    return;
  }
  if (!SHORTHANDS.includes(word) || arg !== undefined) {
    throw new CronProblem(
      `unknown shorthand '${body}'; supported: ${[...SHORTHANDS, '@every <interval>'].join(', ')} (lower case)`,
    );
  }
}

function goDurationMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)) {
    total += Number(m[1]) * (GO_UNITS_MS[m[2] ?? ''] ?? 0);
  }
  return total;
}

function checkField(part: string, field: Field): void {
  if (part.includes('#')) {
    throw new CronProblem(
      `${field.name} '${part}': '#' starts a comment in Temporal cron strings, so 'nth weekday' (MON#2) is not supported`,
    );
  }
  for (const item of part.split(',')) checkItem(item, field, part);
}

function checkItem(item: string, field: Field, part: string): void {
  const where = `${field.name} '${part}'`;
  if (item === '') throw new CronProblem(`${where}: empty list item`);
  const [range = '', step, ...extra] = item.split('/');
  if (extra.length) throw new CronProblem(`${where}: more than one '/' in '${item}'`);
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) {
    throw new CronProblem(`${where}: step '${step}' must be a positive integer`);
  }
  if (range === '*') return;
  const [from = '', to, ...more] = range.split('-');
  if (more.length) throw new CronProblem(`${where}: '${range}' is not a value or a range a-b`);
  const start = value(from, field, part);
  if (to === undefined) return;
  const end = value(to, field, part);
  if (end < start) throw new CronProblem(`${where}: range ${from}-${to} ends before it starts`);
  if (field === DAY_OF_WEEK && end === 7 && start !== 7) {
    // Temporal reads '1-7' as Monday-Saturday: refuse rather than silently drop Sundays.
    throw new CronProblem(`${where}: write Sunday as 0 in ranges (e.g. '1-6,0' or '*'), not as the end 7`);
  }
}

function value(token: string, field: Field, part: string): number {
  const within = part === token ? '' : ` (in '${part}')`;
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < field.min || n > field.max) {
      throw new CronProblem(`${field.name} ${n} is out of range ${field.min}-${field.max}${within}`);
    }
    return n;
  }
  const lower = token.toLowerCase();
  const short = field.names;
  const long = field === MONTH ? MONTH_NAMES : field === DAY_OF_WEEK ? DAY_NAMES : undefined;
  const index = short ? Math.max(short.indexOf(lower), long?.indexOf(lower) ?? -1) : -1;
  if (index >= 0) return index + (field.namesFrom ?? 0);
  const allowed = short
    ? `a number ${field.min}-${field.max} or a name (${short.map((s) => s.toUpperCase()).join(', ')})`
    : `a number ${field.min}-${field.max}`;
  const hint = /^[LW?]$|[LW]$/i.test(token) ? " ('L', 'W' and '?' are not supported)" : '';
  throw new CronProblem(`${field.name} '${token}' is not ${allowed}${within}${hint}`);
}

/**
 * Checks an IANA time zone name (`Europe/Paris`, `UTC`) with `Intl`, and returns it (with the
 * canonical upper/lower case when only that differed, since the server's lookup is case-sensitive).
 * Throws an {@link InvalidOptionError} naming the option.
 */
export function validateTimezone(zone: unknown, request?: string, option = 'timezone'): string {
  try {
    return checkTimezone(zone);
  } catch (err) {
    if (!(err instanceof CronProblem)) throw err;
    throw new InvalidOptionError(option, err.message, { request });
  }
}

function checkTimezone(zone: unknown): string {
  const hint = "use an IANA time zone name such as 'UTC', 'Europe/Paris' or 'America/New_York'";
  if (typeof zone !== 'string' || zone.trim() === '')
    throw new CronProblem(`must be a non-empty string; ${hint}`);
  // Offsets ('+02:00') pass newer Intl versions but not the server's zone lookup.
  if (/^[+-]\d/.test(zone))
    throw new CronProblem(`${JSON.stringify(zone)} is an offset, not a zone; ${hint}`);
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new CronProblem(`unknown time zone ${JSON.stringify(zone)}; ${hint}`);
  }
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}
