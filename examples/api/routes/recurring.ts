/**
 * Recurring (cron) jobs: set up the daily cleanup (`addOrUpdate`), list, describe, trigger and
 * remove recurring jobs (`recurring(id)`, `listRecurring()`). Each is a Temporal Schedule, so the
 * Web UI and `temporal schedule …` show and manage it too.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RecurringDescription } from '../../../src/index.js';
import { DailyCleanup } from '../../contracts.js';
import type { RouteDeps } from '../app.js';
import { MAX_ID_LENGTH, errorBody, openapi, parse, recurringBody, recurringList } from '../schemas.js';
import type { RecurringBody, RecurringList } from '../schemas.js';

/** The id of the daily cleanup's schedule. */
export const DAILY_CLEANUP_ID = 'daily-cleanup';

/**
 * A cron field's values without leading zeros: `*`, a value or a list of them, each with an optional
 * step of 1 to 99 (the server cannot read a step past its integers: found by schemathesis).
 */
function cronField(value: string): string {
  const item = `(\\*|${value})(/[1-9]\\d?)?`;
  return `${item}(,${item})*`;
}

/**
 * The cron strings the document promises and the route accepts: 5 fields of values, lists and steps
 * (`0 2 * * *`, `0,30 9,17 * * 1`, steps such as every 15 minutes) or an alias (`@daily`). Ranges are left out: a range that ends
 * before it starts passes any pattern but not the cron check, and the two must agree.
 */
const cronPattern = new RegExp(
  `^(@(yearly|annually|monthly|weekly|daily|hourly)|${[
    '[1-5]?\\d',
    '1?\\d|2[0-3]',
    '[1-9]|[12]\\d|3[01]',
    '[1-9]|1[0-2]',
    '[0-6]',
  ]
    .map((v) => cronField(`(${v})`))
    .join(' ')})$`,
);

/** IANA time zones this runtime knows (what the recurring job's time zone check accepts). */
const timeZones = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])] as [string, ...string[]];

// One schema for the document (its input side) and the parser: the cron fields plus the contract's
// own input field, so what the document allows is what the route accepts.
const dailyCleanupBody = z.object({
  cron: z
    .string()
    .regex(cronPattern)
    .default('0 2 * * *')
    .describe('When it runs: 5 cron fields (values, lists, steps) or an alias such as `@daily`.'),
  timezone: z.enum(timeZones).default('UTC').describe('IANA time zone the cron is read in.'),
  olderThanDays: DailyCleanup.input.shape.olderThanDays,
});

const recurringIdParams = z.object({ id: z.string().min(1).max(MAX_ID_LENGTH) });

function toBody(d: RecurringDescription): RecurringBody {
  return {
    id: d.id,
    request: d.request ?? null,
    paused: d.paused,
    schedule: d.spec.text,
    queue: d.queue ?? null,
    nextRunTimes: d.nextRunTimes.map((t) => t.toISOString()),
    recentRuns: d.recentRuns.map((r) => ({
      jobId: r.jobId,
      scheduledAt: r.scheduledAt.toISOString(),
      status: r.status ?? null,
    })),
  };
}

const params = openapi(recurringIdParams, 'input');
const notFound = { 404: openapi(errorBody) };

export function recurringRoutes(app: FastifyInstance, { mediator }: RouteDeps): void {
  app.put(
    `/recurring/${DAILY_CLEANUP_ID}`,
    {
      schema: {
        tags: ['recurring'],
        summary: 'Set up the daily cleanup (cron)',
        description:
          '`addOrUpdate`: creates or updates the `daily-cleanup` schedule running `DailyCleanup` on the `cleanup` queue. Idempotent.',
        body: openapi(dailyCleanupBody, 'input'),
        response: { 200: openapi(recurringBody), 400: openapi(errorBody) },
      },
    },
    async (request) => {
      const { cron, timezone, olderThanDays } = parse(dailyCleanupBody, request.body);
      const handle = await mediator.addOrUpdate(
        DAILY_CLEANUP_ID,
        DailyCleanup,
        { olderThanDays },
        { cron, timezone },
      );
      return toBody(await handle.describe());
    },
  );

  app.get(
    '/recurring',
    {
      schema: {
        tags: ['recurring'],
        summary: 'List recurring jobs',
        description: 'The mediator-made schedules of the namespace (`listRecurring`).',
        response: { 200: openapi(recurringList) },
      },
    },
    async () => {
      const recurring: RecurringList['recurring'] = [];
      for await (const r of mediator.listRecurring()) {
        if (!r.mediatorOwned) continue;
        recurring.push({
          id: r.id,
          request: r.request ?? null,
          paused: r.paused,
          nextRunTimes: r.nextRunTimes.map((t) => t.toISOString()),
        });
      }
      return { recurring };
    },
  );

  app.get(
    '/recurring/:id',
    {
      schema: {
        tags: ['recurring'],
        summary: 'Describe a recurring job',
        params,
        response: { 200: openapi(recurringBody), ...notFound },
      },
    },
    async (request) => {
      const { id } = parse(recurringIdParams, request.params);
      return toBody(await mediator.recurring(id).describe());
    },
  );

  app.post(
    '/recurring/:id/trigger',
    {
      schema: {
        tags: ['recurring'],
        summary: 'Run a recurring job now',
        params,
        response: { 202: openapi(z.object({ id: z.string(), triggered: z.literal(true) })), ...notFound },
      },
    },
    async (request, reply) => {
      const { id } = parse(recurringIdParams, request.params);
      await mediator.recurring(id).trigger();
      return reply.code(202).send({ id, triggered: true });
    },
  );

  app.delete(
    '/recurring/:id',
    {
      schema: {
        tags: ['recurring'],
        summary: 'Remove a recurring job',
        description: 'Deletes the schedule; runs already started go on.',
        params,
        response: { 204: { type: 'null', description: 'Removed' }, ...notFound },
      },
    },
    async (request, reply) => {
      const { id } = parse(recurringIdParams, request.params);
      await mediator.recurring(id).remove();
      return reply.code(204).send();
    },
  );
}
