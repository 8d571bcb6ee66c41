import { describe, expect, it } from 'vitest';
import { defaultMediatorOptions } from '../../src/dispatch/options.js';
import { z } from 'zod';
import { validateCron, validateTimezone } from '../../src/recurring/cron.js';
import { InvalidOptionError, RequestValidationError, defineCommand } from '../../src/index.js';
import { buildSpec, planSchedule, readMark, stableHash } from '../../src/recurring/options.js';
import type { RecurringOptions } from '../../src/recurring/options.js';
import { decideUpsert } from '../../src/recurring/sync.js';
import { summarizeSpec } from '../../src/recurring/handle.js';

function cronError(cron: unknown): InvalidOptionError {
  try {
    validateCron(cron, 'Cleanup');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return err as InvalidOptionError;
  }
  throw new Error(`expected ${JSON.stringify(cron)} to be rejected`);
}

describe('validateCron', () => {
  it.each([
    '0 2 * * *',
    '*/15 * * * *',
    '0/5 9-17 * * MON-FRI',
    '0 0 1,15 * *',
    '0 0 * JAN,jul *',
    '0 0 * * Sunday',
    '0 0 * * 7',
    '0 0 1 1 * 2030',
    '30 0 0 1 1 * 2030',
    '@daily',
    '@hourly',
    '@annually',
    '@every 2s',
    '@every 90m/15m',
    '@every 1h30m',
    '0 2 * * * # nightly',
    '  0  2 * * *  ',
  ])('accepts %j', (cron) => {
    expect(validateCron(cron).timezone).toBeUndefined();
  });

  it('takes a CRON_TZ= / TZ= prefix out as the time zone', () => {
    expect(validateCron('CRON_TZ=Europe/Paris 0 2 * * *')).toEqual({
      expression: '0 2 * * *',
      timezone: 'Europe/Paris',
    });
    expect(validateCron('TZ=UTC @daily')).toEqual({ expression: '@daily', timezone: 'UTC' });
  });

  it.each([
    ['0 2 * *', /has 4 field\(s\); expected 5 \(minute hour day-of-month month day-of-week\)/],
    ['0 2 * * * * * *', /has 8 field\(s\)/],
    ['0 24 * * *', /hour 24 is out of range 0-23/],
    ['60 * * * *', /minute 60 is out of range 0-59/],
    ['0 0 0 * *', /day-of-month 0 is out of range 1-31/],
    ['0 0 32 * *', /day-of-month 32 is out of range 1-31/],
    ['0 0 * 13 *', /month 13 is out of range 1-12/],
    ['0 0 * * 8', /day-of-week 8 is out of range 0-7/],
    ['0 0 1 1 * 1999', /year 1999 is out of range 2000-2100/],
    ['0 0 * FOO *', /month 'FOO' is not a number 1-12 or a name \(JAN, FEB/],
    ['x * * * *', /minute 'x' is not a number 0-59$/],
    ['0 0 1,32 * *', /day-of-month 32 is out of range 1-31 \(in '1,32'\)$/],
    ['0 2 ? * *', /day-of-month '\?' is not a number 1-31 \('L', 'W' and '\?' are not supported\)/],
    ['0 2 L * *', /not supported/],
    ['0 0 * * MON#2', /'#' starts a comment .* 'nth weekday' \(MON#2\) is not supported/],
    ['5-2 * * * *', /range 5-2 ends before it starts/],
    ['*/0 * * * *', /step '0' must be a positive integer/],
    ['1,,2 * * * *', /empty list item/],
    ['0 0 * * 1-7', /write Sunday as 0 in ranges/],
    ['@DAILY', /unknown shorthand '@DAILY'; supported: @yearly, .*\(lower case\)/],
    ['@reboot', /unknown shorthand/],
    ['@every 500ms', /interval '500ms' is under 1s/],
    ['@every soon', /bad interval 'soon'/],
    ['CRON_TZ=Nowhere/City 0 2 * * *', /unknown time zone "Nowhere\/City"/],
  ])('rejects %j, saying why', (cron, why) => {
    const err = cronError(cron);
    expect(err.option).toBe('cron');
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.request).toBe('Cleanup');
    expect(err.message).toContain(`Cleanup: invalid option 'cron': ${JSON.stringify(cron)}`);
    expect(err.message).toMatch(why);
  });

  it('rejects non-strings and empty strings', () => {
    expect(cronError('').message).toMatch(/non-empty cron string/);
    expect(cronError(5).message).toMatch(/non-empty cron string/);
  });
});

describe('validateTimezone', () => {
  it('accepts IANA names and fixes their case', () => {
    expect(validateTimezone('Europe/Paris')).toBe('Europe/Paris');
    expect(validateTimezone('America/New_York')).toBe('America/New_York');
    expect(validateTimezone('utc')).toBe('UTC');
  });

  it.each([
    ['Mars/Olympus', /unknown time zone "Mars\/Olympus"; use an IANA time zone name/],
    ['+02:00', /is an offset, not a zone/],
    ['', /non-empty string/],
  ])('rejects %j', (zone, why) => {
    let error: unknown;
    try {
      validateTimezone(zone, 'Cleanup');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('timezone');
    expect((error as Error).message).toMatch(/^Cleanup: invalid option 'timezone': /);
    expect((error as Error).message).toMatch(why);
  });
});

describe('buildSpec', () => {
  it('builds cron and interval specs with the defaults', () => {
    expect(buildSpec({ cron: '0 2 * * *' })).toEqual({ cronExpressions: ['0 2 * * *'], timezone: 'UTC' });
    expect(buildSpec({ every: '2s', jitter: '1s', timezone: 'Europe/Paris' })).toEqual({
      intervals: [{ every: 2000 }],
      timezone: 'Europe/Paris',
      jitter: 1000,
    });
  });

  it('needs exactly one of cron or every, an interval of 1s or more, and a sane window', () => {
    // The types already refuse these; the runtime checks are for untyped callers (JavaScript, JSON).
    const untyped = (o: object) => o as RecurringOptions;
    expect(() => buildSpec(untyped({}), 'Cleanup')).toThrow(/invalid option 'cron': a recurring job needs/);
    expect(() => buildSpec(untyped({ cron: '@daily', every: '1h' }))).toThrow(
      /either 'cron' or 'every', not both/,
    );
    expect(() => buildSpec({ every: '500ms' })).toThrow(/'every': "500ms" is under 1s/);
    expect(() => buildSpec({ every: 'often' as '1s' })).toThrow(/'every': "often" is not a valid duration/);
    expect(() => buildSpec({ cron: '@daily', timezone: 'Nowhere' })).toThrow(/'timezone': unknown time zone/);
    expect(() => buildSpec({ cron: 'TZ=UTC @daily', timezone: 'Europe/Paris' })).toThrow(/conflicts/);
    expect(() =>
      buildSpec({ cron: '@daily', startAt: new Date('2030-01-02'), endAt: new Date('2030-01-01') }),
    ).toThrow(/'endAt': is before startAt/);
    expect(() => buildSpec({ cron: '@daily', startAt: new Date('nope') })).toThrow(
      /'startAt': must be a valid Date/,
    );
  });
});

const Cleanup = defineCommand({
  name: 'Cleanup',
  input: z.object({ olderThanDays: z.number().int().positive() }),
  output: z.object({ removed: z.number() }),
  queue: 'maintenance',
});

describe('planSchedule', () => {
  const resolved = defaultMediatorOptions();

  it('starts executeRequest with the enqueue envelope, the request-name job id prefix and the mark', async () => {
    const plan = await planSchedule({
      id: 'daily-cleanup',
      definition: Cleanup,
      input: { olderThanDays: 30 },
      options: { cron: '0 2 * * *', description: 'Nightly cleanup', retry: { maximumAttempts: 1 } },
      resolved,
    });
    expect(plan.action).toMatchObject({
      workflowType: 'executeRequest',
      workflowId: 'Cleanup-daily-cleanup',
      taskQueue: 'maintenance',
      staticSummary: 'Nightly cleanup',
      args: [
        {
          v: 1,
          request: 'Cleanup',
          kind: 'command',
          input: { olderThanDays: 30 },
          description: 'Nightly cleanup',
          activity: { retry: { maximumAttempts: 1 } },
        },
      ],
    });
    expect(plan.action.typedSearchAttributes).toEqual([
      { key: expect.objectContaining({ name: 'MediatorRequest' }) as unknown, value: 'Cleanup' },
    ]);
    expect(plan.policies).toEqual({ overlap: 'SKIP', pauseOnFailure: false });
    expect(readMark(plan.action.memo)).toEqual({
      owner: 'temporal-mediator',
      request: 'Cleanup',
      hash: plan.mark.hash,
      cron: '0 2 * * *',
    });
  });

  it('hashes the desired schedule: same declaration, same hash; any change, another hash', async () => {
    const base = { id: 'x', definition: Cleanup, input: { olderThanDays: 1 }, resolved };
    const a = await planSchedule({ ...base, options: { every: '1h' } });
    const b = await planSchedule({ ...base, options: { every: '1h' } });
    const c = await planSchedule({ ...base, options: { every: '2h' } });
    const d = await planSchedule({ ...base, options: { every: '1h', overlap: 'ALLOW_ALL' } });
    expect(a.mark.hash).toBe(b.mark.hash);
    expect(new Set([a.mark.hash, c.mark.hash, d.mark.hash]).size).toBe(3);
    expect(stableHash({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe(stableHash({ a: [1, { d: 2 }], b: 1 }));
  });

  it('validates the input, the id, the owner and the overlap before any server call', async () => {
    const base = { id: 'x', definition: Cleanup, resolved, options: { every: '1h' as const } };
    await expect(planSchedule({ ...base, input: { olderThanDays: -1 } })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    await expect(planSchedule({ ...base, id: ' ', input: { olderThanDays: 1 } })).rejects.toThrow(
      /invalid option 'id'/,
    );
    await expect(
      planSchedule({ ...base, input: { olderThanDays: 1 }, options: { every: '1h', owner: '' } }),
    ).rejects.toThrow(/invalid option 'owner'/);
    await expect(
      planSchedule({
        ...base,
        input: { olderThanDays: 1 },
        options: { every: '1h', overlap: 'SOMETIMES' as 'SKIP' },
      }),
    ).rejects.toThrow(/unsupported policy "SOMETIMES"; supported: SKIP, BUFFER_ONE/);
  });

  it('decides create / update / unchanged, and refuses schedules of other owners', async () => {
    const plan = await planSchedule({
      id: 'x',
      definition: Cleanup,
      input: { olderThanDays: 1 },
      options: { every: '1h' },
      resolved,
    });
    const present = { kind: 'present' as const, owner: 'temporal-mediator', request: 'Cleanup' };
    expect(decideUpsert(plan, { kind: 'missing' })).toBe('created');
    expect(decideUpsert(plan, { ...present, hash: plan.mark.hash })).toBe('unchanged');
    expect(decideUpsert(plan, { ...present, hash: 'old' })).toBe('updated');
    expect(() => decideUpsert(plan, { ...present, owner: undefined, hash: undefined })).toThrow(
      /already exists and was not created by temporal-mediator/,
    );
    expect(() => decideUpsert(plan, { ...present, owner: 'billing', hash: plan.mark.hash })).toThrow(
      /is owned by 'billing'.*pass its owner as \{ owner \}/,
    );
  });
});

describe('summarizeSpec', () => {
  it('prefers the cron string as written, and falls back to the server interval', () => {
    expect(summarizeSpec({ timezone: 'Europe/Paris' }, { cron: '0 2 * * *' }).text).toBe(
      'cron "0 2 * * *" (Europe/Paris)',
    );
    expect(summarizeSpec({ intervals: [{ every: 3_600_000, offset: 0 }] }, undefined)).toMatchObject({
      every: 3_600_000,
      timezone: 'UTC',
      text: 'every 3600000ms',
    });
  });
});
