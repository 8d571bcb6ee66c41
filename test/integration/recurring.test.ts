import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidOptionError,
  RecurringNotFoundError,
  createHandlers,
  defineCommand,
  defineRecurring,
} from '../../src/index.js';
import type { Mediator, RecurringDescription, RecurringSummary } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Tick = defineCommand({
  name: 'RecurringTick',
  input: z.object({ label: z.string() }),
  output: z.object({ echoed: z.string() }),
});

const Boom = defineCommand({
  name: 'RecurringBoom',
  input: z.object({}),
  output: z.object({}),
});

/** Polls until `check` returns a value other than undefined/false. */
async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function listed(mediator: Mediator, id: string): Promise<RecurringSummary | undefined> {
  for await (const s of mediator.listRecurring()) if (s.id === id) return s;
  return undefined;
}

let mediator: Mediator;
const created: string[] = [];
/** A schedule id no other test uses; removed after the file's tests. */
const scheduleId = (name: string) => {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  created.push(id);
  return id;
};

beforeAll(async () => {
  mediator = await testMediator();
});

afterAll(async () => {
  for (const id of created)
    await mediator
      .recurring(id)
      .remove()
      .catch(() => undefined);
  await mediator.close();
});

describe('recurring jobs on the real dev server', () => {
  it('addOrUpdate twice with the same id updates the one schedule in place', async () => {
    const queue = uniqueQueue('rec-upsert');
    const id = scheduleId('upsert');
    await mediator.addOrUpdate(id, Tick, { label: 'a' }, { every: '1h', queue, description: 'first' });
    const handle = await mediator.addOrUpdate(
      id,
      Tick,
      { label: 'b' },
      { cron: '0 3 * * MON-FRI', timezone: 'Europe/Paris', queue, description: 'second' },
    );
    const d = await handle.describe();
    expect(d).toMatchObject({
      id,
      request: 'RecurringTick',
      owner: 'temporal-mediator',
      paused: false,
      queue,
      description: 'second',
      overlap: 'SKIP',
      pauseOnFailure: false,
      spec: {
        cron: '0 3 * * MON-FRI',
        timezone: 'Europe/Paris',
        text: 'cron "0 3 * * MON-FRI" (Europe/Paris)',
      },
    });
    expect(d.nextRunTimes.length).toBeGreaterThan(0);
    // One schedule, not two.
    const summary = await eventually(() => listed(mediator, id), 'the schedule in the list');
    expect(summary).toMatchObject({
      id,
      request: 'RecurringTick',
      owner: 'temporal-mediator',
      mediatorOwned: true,
    });
    const ids: string[] = [];
    for await (const s of mediator.listRecurring()) if (s.id === id) ids.push(s.id);
    expect(ids).toEqual([id]);
  });

  it('trigger() runs the handler as a normal job, found through describe().recentRuns', async () => {
    const queue = uniqueQueue('rec-trigger');
    const id = scheduleId('trigger');
    const seen: string[] = [];
    const handlers = createHandlers().handle(Tick, (input, ctx) => {
      seen.push(ctx.jobId ?? '');
      return { echoed: input.label };
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const handle = await mediator.addOrUpdate(id, Tick, { label: 'hi' }, { cron: '0 0 1 1 *', queue });
      await handle.trigger();
      const run = await eventually(async () => (await handle.describe()).recentRuns[0], 'a recent run');
      expect(run.jobId.startsWith(`RecurringTick-${id}-`)).toBe(true);
      expect(run.startedAt).toBeInstanceOf(Date);
      const job = mediator.job(Tick, run.jobId);
      await expect(job.result()).resolves.toEqual({ echoed: 'hi' });
      const jd = await job.describe();
      expect(jd.request).toBe('RecurringTick');
      expect(jd.queue).toBe(queue);
      expect(jd.description).toBe('RecurringTick');
      expect(seen).toEqual([run.jobId]);
      expect((await handle.describe()).recentRuns[0]?.status).toBe('completed');
    });
  });

  it('pause / resume show in describe() with their notes', async () => {
    const id = scheduleId('pause');
    const handle = await mediator.addOrUpdate(
      id,
      Tick,
      { label: 'p' },
      { every: '1h', queue: uniqueQueue() },
    );
    await handle.pause('maintenance window');
    expect(await handle.describe()).toMatchObject({ paused: true, note: 'maintenance window' });
    // An update keeps an operator's pause.
    await mediator.addOrUpdate(id, Tick, { label: 'p2' }, { every: '2h', queue: uniqueQueue() });
    expect(await handle.describe()).toMatchObject({ paused: true, note: 'maintenance window' });
    await handle.resume();
    expect(await handle.describe()).toMatchObject({ paused: false, note: 'Resumed via temporal-mediator' });
  });

  it('remove() deletes the schedule; afterwards every method throws RecurringNotFoundError', async () => {
    const id = scheduleId('remove');
    const handle = await mediator.addOrUpdate(
      id,
      Tick,
      { label: 'r' },
      { every: '1h', queue: uniqueQueue() },
    );
    await handle.remove();
    const err = await handle.describe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecurringNotFoundError);
    expect(err).toMatchObject({ code: 'RECURRING_NOT_FOUND', recurringId: id });
    expect((err as Error).message).toContain(`Recurring job '${id}' not found`);
    await expect(handle.trigger()).rejects.toBeInstanceOf(RecurringNotFoundError);
    await expect(mediator.recurring(`missing-${randomUUID()}`).pause()).rejects.toBeInstanceOf(
      RecurringNotFoundError,
    );
  });

  it('backfill() over a past window takes the runs that were due then', async () => {
    const queue = uniqueQueue('rec-backfill');
    const id = scheduleId('backfill');
    const labels: string[] = [];
    const handlers = createHandlers().handle(Tick, (input) => {
      labels.push(input.label);
      return { echoed: input.label };
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const handle = await mediator.addOrUpdate(id, Tick, { label: 'b' }, { every: '1m', queue });
      const now = Date.now();
      await handle.backfill(new Date(now - 5 * 60_000), new Date(now - 60_000));
      const runs = await eventually(async () => {
        const d = await handle.describe();
        return d.recentRuns.filter((r) => r.status === 'completed').length >= 3 && d.recentRuns;
      }, 'three backfilled runs');
      // Backfilled runs were due in the past window.
      expect(runs.some((r) => r.scheduledAt.getTime() < now - 60_000 + 1_000)).toBe(true);
      expect(labels.length).toBeGreaterThanOrEqual(3);
    });
  });

  it('a failing run under pauseOnFailure pauses the schedule', async () => {
    const queue = uniqueQueue('rec-fail');
    const id = scheduleId('fail');
    const handlers = createHandlers().handle(Boom, () => {
      throw new Error('always fails');
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    const d = await worker.runUntil(async () => {
      const handle = await mediator.addOrUpdate(
        id,
        Boom,
        {},
        { every: '2s', queue, pauseOnFailure: true, retry: { maximumAttempts: 1 } },
      );
      return eventually(async () => {
        const desc: RecurringDescription = await handle.describe();
        return desc.paused && desc;
      }, 'the schedule to pause itself');
    });
    expect(d.paused).toBe(true);
    expect(d.recentRuns.some((r) => r.status === 'failed')).toBe(true);
  });

  it('rejects a bad cron string, time zone or foreign schedule id with InvalidOptionError', async () => {
    const id = scheduleId('invalid');
    await expect(mediator.addOrUpdate(id, Tick, { label: 'x' }, { cron: '0 24 * * *' })).rejects.toThrow(
      /RecurringTick: invalid option 'cron': "0 24 \* \* \*": hour 24 is out of range 0-23$/,
    );
    const tz = await mediator
      .addOrUpdate(id, Tick, { label: 'x' }, { cron: '@daily', timezone: 'Mars/Olympus' })
      .catch((e: unknown) => e);
    expect(tz).toBeInstanceOf(InvalidOptionError);
    expect(tz).toMatchObject({ option: 'timezone', request: 'RecurringTick' });
    await expect(mediator.recurring(id).describe()).rejects.toBeInstanceOf(RecurringNotFoundError);

    const foreign = scheduleId('foreign');
    await mediator.client!.schedule.create({
      scheduleId: foreign,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'somethingElse', taskQueue: uniqueQueue(), args: [] },
    });
    await expect(mediator.addOrUpdate(foreign, Tick, { label: 'x' }, { every: '1h' })).rejects.toThrow(
      /schedule '.*' already exists and was not created by temporal-mediator/,
    );
  });

  it('syncRecurring creates, updates and removes its own schedules only; dryRun changes nothing', async () => {
    const owner = `sync-test-${randomUUID().slice(0, 8)}`;
    const queue = uniqueQueue('rec-sync');
    const [a, b, c] = [scheduleId('sync-a'), scheduleId('sync-b'), scheduleId('sync-c')];
    const foreign = scheduleId('sync-foreign');
    const other = scheduleId('sync-other-owner');
    const decl = (id: string, every: '1h' | '2h') =>
      defineRecurring({ id, definition: Tick, input: { label: id }, options: { every, queue } });

    await mediator.client!.schedule.create({
      scheduleId: foreign,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'executeRequest', taskQueue: queue, args: [] },
    });
    await mediator.addOrUpdate(other, Tick, { label: 'o' }, { every: '1h', queue, owner: 'someone-else' });

    expect(await mediator.syncRecurring([decl(a, '1h'), decl(b, '1h')], { owner })).toEqual({
      created: [a, b],
      updated: [],
      removed: [],
      unchanged: [],
    });
    expect((await mediator.recurring(a).describe()).owner).toBe(owner);
    // Removal reads the (eventually consistent) list: wait until it shows b.
    await eventually(() => listed(mediator, b), 'b in the list');

    const next = [decl(a, '2h'), decl(c, '1h')];
    const expected = { created: [c], updated: [a], removed: [b], unchanged: [] };
    expect(await mediator.syncRecurring(next, { owner, dryRun: true })).toEqual(expected);
    await expect(mediator.recurring(c).describe()).rejects.toBeInstanceOf(RecurringNotFoundError);
    expect((await mediator.recurring(b).describe()).id).toBe(b);
    expect((await mediator.recurring(a).describe()).spec.every).toBe('1h');

    expect(await mediator.syncRecurring(next, { owner })).toEqual(expected);
    await expect(mediator.recurring(b).describe()).rejects.toBeInstanceOf(RecurringNotFoundError);
    expect((await mediator.recurring(a).describe()).spec.every).toBe('2h');
    expect((await mediator.recurring(c).describe()).request).toBe('RecurringTick');
    expect(await mediator.syncRecurring(next, { owner })).toEqual({
      created: [],
      updated: [],
      removed: [],
      unchanged: [a, c],
    });

    // Never touched: the unmarked schedule and the other owner's.
    expect(await mediator.recurring(foreign).describe()).toMatchObject({
      owner: undefined,
      request: undefined,
    });
    expect((await mediator.recurring(other).describe()).owner).toBe('someone-else');
    // Declaring a foreign id fails before anything changes.
    await expect(mediator.syncRecurring([...next, decl(foreign, '1h')], { owner })).rejects.toThrow(
      /already exists and was not created by temporal-mediator/,
    );
    await expect(mediator.syncRecurring([decl(a, '1h'), decl(a, '2h')], { owner })).rejects.toThrow(
      /declared twice/,
    );
    expect((await mediator.recurring(a).describe()).spec.every).toBe('2h');
  });
});
