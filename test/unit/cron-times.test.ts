import { describe, expect, it } from 'vitest';
import { cronTimes } from '../../src/in-memory/cron-times.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('cron times (in-memory backfill)', () => {
  it('steps, lists, ranges and names, in UTC', () => {
    const times = cronTimes(
      '*/20 9-10 * JAN mon,WED',
      'UTC',
      new Date('2030-01-01T00:00:00Z'),
      new Date('2030-01-02T23:59:00Z'),
    );
    // 2030-01-01 is a Tuesday: only Wednesday the 2nd matches.
    expect(iso(times)).toEqual([
      '2030-01-02T09:00:00.000Z',
      '2030-01-02T09:20:00.000Z',
      '2030-01-02T09:40:00.000Z',
      '2030-01-02T10:00:00.000Z',
      '2030-01-02T10:20:00.000Z',
      '2030-01-02T10:40:00.000Z',
    ]);
  });

  it('follows the zone across a DST change, and a TZ= prefix', () => {
    // Paris moves to UTC+2 on 2030-03-31.
    const daily = cronTimes(
      '0 2 * * *',
      'Europe/Paris',
      new Date('2030-03-29T00:00:00Z'),
      new Date('2030-04-01T23:00:00Z'),
    );
    // 02:00 does not exist on 2030-03-31 in Paris (clocks jump from 02:00 to 03:00).
    expect(iso(daily)).toEqual([
      '2030-03-29T01:00:00.000Z',
      '2030-03-30T01:00:00.000Z',
      '2030-04-01T00:00:00.000Z',
    ]);
    const prefixed = cronTimes(
      'TZ=America/New_York 30 8 1 * *',
      'UTC',
      new Date('2030-01-01T00:00:00Z'),
      new Date('2030-02-28T00:00:00Z'),
    );
    expect(iso(prefixed)).toEqual(['2030-01-01T13:30:00.000Z', '2030-02-01T13:30:00.000Z']);
  });

  it('shorthands, @every with a phase, 7 fields with seconds and years, and Sunday as 7', () => {
    const window = [new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T03:00:00Z')] as const;
    expect(cronTimes('@hourly', 'UTC', ...window)).toHaveLength(4);
    expect(iso(cronTimes('@every 90m/15m', 'UTC', ...window))).toEqual([
      '2030-01-01T00:15:00.000Z',
      '2030-01-01T01:45:00.000Z',
    ]);
    expect(iso(cronTimes('15,45 0 0 1 1 * 2030', 'UTC', ...window))).toEqual([
      '2030-01-01T00:00:15.000Z',
      '2030-01-01T00:00:45.000Z',
    ]);
    expect(cronTimes('0 0 * * * 2031', 'UTC', ...window)).toEqual([]);
    // 2030-01-06 is a Sunday.
    expect(iso(cronTimes('0 12 * * 7', 'UTC', new Date('2030-01-01Z'), new Date('2030-01-08Z')))).toEqual([
      '2030-01-06T12:00:00.000Z',
    ]);
  });

  it('refuses windows over 400 days', () => {
    expect(() => cronTimes('0 0 * * *', 'UTC', new Date('2030-01-01Z'), new Date('2032-01-01Z'))).toThrow(
      /400 days/,
    );
  });
});
