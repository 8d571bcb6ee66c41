/** The ownership mark of mediator-made schedules (kept in their memo and their runs'), and its hash. */
import { createHash } from 'node:crypto';
import type { Duration } from '../core/durations.js';

/** Memo key under which the mediator marks the schedules it made (and their runs). */
export const RECURRING_MEMO_KEY = 'temporal-mediator';

/**
 * The owner written for schedules made without one (`addOrUpdate` without `owner`; earlier releases
 * wrote it for those too): reserved, so no `syncRecurring` ever updates or removes them.
 */
export const UNOWNED = RECURRING_MEMO_KEY;

/** The ownership mark kept in the memo of mediator-made schedules and of their runs. */
export interface RecurringMark {
  /** Owner id (see `RecurringOptions.owner`). */
  owner: string;
  /** Request name the schedule runs. */
  request: string;
  /** Hash of the desired spec and action, to tell whether an update changes anything. */
  hash: string;
  /** The cron string as given (the server keeps only its calendar form). */
  cron?: string;
  /** The interval as given. */
  every?: Duration;
}

/** Reads an ownership mark from a memo, or `undefined` when there is none (or it is malformed). */
export function readMark(memo: Record<string, unknown> | undefined): RecurringMark | undefined {
  const raw = memo?.[RECURRING_MEMO_KEY];
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { owner, request, hash, cron, every } = raw as Record<string, unknown>;
  if (typeof owner !== 'string' || typeof request !== 'string') return undefined;
  const mark: RecurringMark = { owner, request, hash: typeof hash === 'string' ? hash : '' };
  if (typeof cron === 'string') mark.cron = cron;
  if (typeof every === 'string' || typeof every === 'number') mark.every = every as Duration;
  return mark;
}

/** SHA-256 (first 16 hex digits) of a value's JSON with sorted keys: equal inputs, equal hashes. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
