import { InvalidOptionError } from './errors.js';

type Unit =
  | 'ms'
  | 'msec'
  | 'msecs'
  | 'millisecond'
  | 'milliseconds'
  | 's'
  | 'sec'
  | 'secs'
  | 'second'
  | 'seconds'
  | 'm'
  | 'min'
  | 'mins'
  | 'minute'
  | 'minutes'
  | 'h'
  | 'hr'
  | 'hrs'
  | 'hour'
  | 'hours'
  | 'd'
  | 'day'
  | 'days'
  | 'w'
  | 'week'
  | 'weeks'
  | 'y'
  | 'yr'
  | 'yrs'
  | 'year'
  | 'years';

/** A duration unit as Temporal's SDK writes it, in lower, upper or capitalised case. */
export type DurationUnit = Unit | Uppercase<Unit> | Capitalize<Unit>;

/**
 * A duration: milliseconds as a number, or a string such as `'500ms'`, `'30s'`, `'5m'`, `'24h'`,
 * `'7d'`, `'1.5 hours'` — the format Temporal's TypeScript SDK takes. The package's own type (not the
 * SDK's, which is `any` in projects that cannot resolve the `ms` types), so a typo such as
 * `'5 minutez'` is a compile error in your project.
 */
export type Duration = number | `${number}` | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  y: 31_557_600_000,
  yr: 31_557_600_000,
  yrs: 31_557_600_000,
  year: 31_557_600_000,
  years: 31_557_600_000,
};

const PATTERN = /^(-?(?:\d+)?\.?\d+) *([a-z]+)?$/i;

/** Milliseconds of a duration, or NaN when it is not one (same grammar as the SDK's `ms`). */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.length > 100) return Number.NaN;
  const match = PATTERN.exec(value);
  if (!match) return Number.NaN;
  const unit = UNIT_MS[(match[2] ?? 'ms').toLowerCase()];
  return unit === undefined ? Number.NaN : Number.parseFloat(match[1] ?? '') * unit;
}

/**
 * Parses a duration to milliseconds, or throws an {@link InvalidOptionError} naming the option.
 * Takes `unknown`: values also come from the SDK's own `Duration` and from payloads.
 */
export function toMs(value: unknown, option: string, request?: string): number {
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InvalidOptionError(
      option,
      `${JSON.stringify(value)} is not a valid duration; use milliseconds or a string such as '500ms', '30s', '5m', '24h'`,
      { request },
    );
  }
  return ms;
}

/** {@link toMs} for optional values. */
export function optionalMs(value: unknown, option: string, request?: string): number | undefined {
  return value === undefined ? undefined : toMs(value, option, request);
}
