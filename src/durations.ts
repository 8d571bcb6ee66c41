import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { InvalidOptionError } from './errors.js';

/**
 * A duration: milliseconds as a number, or an `ms`-style string such as `'500ms'`, `'30s'`, `'5m'`,
 * `'24h'`, `'7d'` — the format Temporal's TypeScript SDK uses.
 */
export type { Duration };

/** Parses a duration to milliseconds, or throws an {@link InvalidOptionError} naming the option. */
export function toMs(value: Duration, option: string, request?: string): number {
  let ms: number;
  try {
    ms = msToNumber(value);
  } catch {
    ms = Number.NaN;
  }
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
export function optionalMs(
  value: Duration | undefined,
  option: string,
  request?: string,
): number | undefined {
  return value === undefined ? undefined : toMs(value, option, request);
}
