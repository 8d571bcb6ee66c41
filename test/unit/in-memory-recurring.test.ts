import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHandlers,
  createInMemoryMediator,
  createTestClock,
  defineCommand,
  defineRecurring,
  InvalidOptionError,
  RecurringNotFoundError,
} from '../../src/index.js';
import type { RecurringSummary } from '../../src/index.js';
import { capturingLogger } from './helpers.js';

const Tick = defineCommand({
  name: 'Tick',
  input: z.object({ label: z.string() }),
  output: z.object({ label: z.string() }),
});
const Boom = defineCommand({
  name: 'Boom',
  input: z.object({}),
  output: z.object({}),
  retry: { maximumAttempts: 1 },
});
const Hold = defineCommand({ name: 'Hold', input: z.object({}), output: z.object({}) });

const START = new Date('2030-01-01T00:00:00Z');

function setup() {
  const clock = createTestClock({ start: START });
  const runs: { label: string; jobId: string | undefined; at: string }[] = [];
  const release: (() => void)[] = [];
  const handlers = createHandlers()
    .handle(Tick, (input, ctx) => {
      runs.push({ label: input.label, jobId: ctx.jobId, at: new Date(clock.now()).toISOString() });
      return { label: input.label };
    })
    .handle(Boom, () => {
      throw new Error('boom');
    })
    .handle(Hold, () => new Promise((resolve) => release.push(() => resolve({}))));
  const logger = capturingLogger();
  const mediator = createInMemoryMediator({ handlers, clock, logger, maxRecords: 100 });
  return { clock, runs, release, mediator, logger };
}

async function list(iterable: AsyncIterable<RecurringSummary>): Promise<RecurringSummary[]> {
  const out: RecurringSummary[] = [];
  for await (const s of iterable) out.push(s);
  return out;
}

describe('in-memory recurring jobs', () => {
  it('runs an `every` job on the clock, aligned to the epoch, with Temporal-style run ids', async () => {
    const { clock, runs, mediator } = setup();
    const handle = await mediator.addOrUpdate('hourly', Tick, { label: 'h' }, { every: '1h' });
    await clock.advance('3h');
    expect(runs).toEqual([
      { label: 'h', jobId: 'Tick-hourly-2030-01-01T01:00:00Z', at: '2030-01-01T01:00:00.000Z' },
      { label: 'h', jobId: 'Tick-hourly-2030-01-01T02:00:00Z', at: '2030-01-01T02:00:00.000Z' },
      { label: 'h', jobId: 'Tick-hourly-2030-01-01T03:00:00Z', at: '2030-01-01T03:00:00.000Z' },
    ]);
    const d = await handle.describe();
    expect(d).toMatchObject({
      id: 'hourly',
      request: 'Tick',
      paused: false,
      overlap: 'SKIP',
      queue: 'default',
    });
    expect(d.spec.text).toBe('every 1h');
    expect(d.nextRunTimes[0]).toEqual(new Date('2030-01-01T04:00:00Z'));
    expect(d.nextRunTimes).toHaveLength(10);
    expect(d.recentRuns.map((r) => [r.jobId, r.status])).toEqual([
      ['Tick-hourly-2030-01-01T01:00:00Z', 'completed'],
      ['Tick-hourly-2030-01-01T02:00:00Z', 'completed'],
      ['Tick-hourly-2030-01-01T03:00:00Z', 'completed'],
    ]);
    expect(await mediator.job(Tick, 'Tick-hourly-2030-01-01T02:00:00Z').result()).toEqual({ label: 'h' });
    expect(mediator.dispatched().filter((r) => r.mode === 'recurring')).toHaveLength(3);
  });

  it('pause stops runs, resume restarts them; an update keeps the paused state', async () => {
    const { clock, runs, mediator } = setup();
    const handle = await mediator.addOrUpdate('p', Tick, { label: 'a' }, { every: '1h' });
    await handle.pause('maintenance');
    await clock.advance('2h');
    expect(runs).toEqual([]);
    await mediator.addOrUpdate('p', Tick, { label: 'b' }, { every: '30m' });
    expect(await handle.describe()).toMatchObject({ paused: true, note: 'maintenance' });
    await handle.resume();
    await clock.advance('1h');
    expect(runs.map((r) => r.label)).toEqual(['b', 'b']);
    // A run's id is the schedule's plus its time (to the second): trigger at another second than a due run.
    await clock.advance('1s');
    await handle.trigger();
    await mediator.whenIdle();
    expect(runs.map((r) => r.label)).toEqual(['b', 'b', 'b']);
  });

  it('cron strings are checked and kept but not evaluated: they run on trigger() and backfill(), not on the clock (with a warning)', async () => {
    const { clock, runs, mediator, logger } = setup();
    await expect(
      mediator.addOrUpdate('bad', Tick, { label: 'x' }, { cron: '0 24 * * *' }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    const handle = await mediator.addOrUpdate(
      'nightly',
      Tick,
      { label: 'n' },
      { cron: '0 2 * * *', timezone: 'Europe/Paris' },
    );
    expect(
      logger.lines.some(
        (l) => l.level === 'warn' && l.message.includes('does not run cron strings on its clock'),
      ),
    ).toBe(true);
    await clock.advance('48h');
    expect(runs).toEqual([]);
    const d = await handle.describe();
    expect(d.spec.text).toBe('cron "0 2 * * *" (Europe/Paris)');
    expect(d.nextRunTimes).toEqual([]);
    await handle.trigger();
    await mediator.whenIdle();
    expect(runs).toHaveLength(1);
  });

  it('overlap: SKIP drops a run while one is running, BUFFER_ONE runs it afterwards, ALLOW_ALL runs both', async () => {
    const { clock, release, mediator } = setup();
    const skip = await mediator.addOrUpdate('skip', Hold, {}, { every: '1m' });
    await clock.advance('3m');
    expect((await skip.describe()).runningJobIds).toHaveLength(1);
    await skip.remove();
    release.splice(0).forEach((r) => r());
    await clock.flush();
    const buffer = await mediator.addOrUpdate('buffer', Hold, {}, { every: '1m', overlap: 'BUFFER_ONE' });
    await clock.advance('3m');
    expect((await buffer.describe()).recentRuns).toHaveLength(1);
    release.splice(0).forEach((r) => r());
    await clock.flush();
    expect((await buffer.describe()).recentRuns).toHaveLength(2);
    await buffer.remove();
    release.splice(0).forEach((r) => r());
    const all = await mediator.addOrUpdate('all', Hold, {}, { every: '1m', overlap: 'ALLOW_ALL' });
    await clock.advance('3m');
    expect((await all.describe()).runningJobIds).toHaveLength(3);
  });

  it('backfill of a cron job runs the times due in the window, in its time zone', async () => {
    const { runs, mediator } = setup();
    const handle = await mediator.addOrUpdate(
      'nightly',
      Tick,
      { label: 'n' },
      { cron: '0 2 * * MON-FRI', timezone: 'Europe/Paris' },
    );
    // Fri 2029-12-28 to Tue 2030-01-01 (UTC+1 in winter): Friday, Monday and Tuesday at 01:00 UTC.
    await handle.backfill(new Date('2029-12-28T00:00:00Z'), new Date('2030-01-01T23:59:00Z'));
    await mediator.whenIdle();
    expect(runs.map((r) => r.jobId)).toEqual([
      'Tick-nightly-2029-12-28T01:00:00Z',
      'Tick-nightly-2029-12-31T01:00:00Z',
      'Tick-nightly-2030-01-01T01:00:00Z',
    ]);
  });

  it('pauseOnFailure pauses the schedule when a run fails', async () => {
    const { clock, mediator } = setup();
    const handle = await mediator.addOrUpdate('fragile', Boom, {}, { every: '1m', pauseOnFailure: true });
    await clock.advance('5m');
    const d = await handle.describe();
    expect(d.paused).toBe(true);
    expect(d.recentRuns.map((r) => r.status)).toEqual(['failed']);
  });

  it('backfill runs the times due in a past window; remove makes every call fail', async () => {
    const { runs, mediator } = setup();
    const handle = await mediator.addOrUpdate('bf', Tick, { label: 'bf' }, { every: '1h' });
    await handle.backfill(new Date('2029-12-31T21:00:00Z'), new Date('2029-12-31T23:00:00Z'));
    await mediator.whenIdle();
    expect(runs.map((r) => r.jobId)).toEqual([
      'Tick-bf-2029-12-31T21:00:00Z',
      'Tick-bf-2029-12-31T22:00:00Z',
      'Tick-bf-2029-12-31T23:00:00Z',
    ]);
    // A bad window rejects (never a synchronous throw from a Promise-returning call).
    let backwards: Promise<void> | undefined;
    expect(() => (backwards = handle.backfill(new Date('2030-01-02'), new Date('2030-01-01')))).not.toThrow();
    await expect(backwards).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(handle.backfill(new Date('nope'), new Date())).rejects.toMatchObject({ option: 'start' });
    await handle.remove();
    await expect(handle.describe()).rejects.toBeInstanceOf(RecurringNotFoundError);
    await expect(mediator.recurring('never').trigger()).rejects.toMatchObject({
      code: 'RECURRING_NOT_FOUND',
    });
  });

  it('listRecurring and syncRecurring: create, update, remove per owner, dry run, foreign ids refused', async () => {
    const { mediator } = setup();
    await mediator.addOrUpdate('theirs', Tick, { label: 't' }, { every: '1h', owner: 'billing' });
    const declare = (id: string, label: string) =>
      defineRecurring({ id, definition: Tick, input: { label }, options: { every: '1h' } });
    expect(await mediator.syncRecurring([declare('a', '1'), declare('b', '1')], { owner: 'ops' })).toEqual({
      created: ['a', 'b'],
      updated: [],
      removed: [],
      unchanged: [],
    });
    const dry = await mediator.syncRecurring([declare('a', '2')], { owner: 'ops', dryRun: true });
    expect(dry).toEqual({ created: [], updated: ['a'], removed: ['b'], unchanged: [] });
    expect((await list(mediator.listRecurring())).map((s) => s.id).sort()).toEqual(['a', 'b', 'theirs']);
    expect(await mediator.syncRecurring([declare('a', '2')], { owner: 'ops' })).toEqual(dry);
    expect(await mediator.syncRecurring([declare('a', '2')], { owner: 'ops' })).toMatchObject({
      unchanged: ['a'],
    });
    const summaries = await list(mediator.listRecurring());
    expect(summaries.map((s) => [s.id, s.owner, s.mediatorOwned, s.workflowType])).toEqual([
      ['theirs', 'billing', true, 'executeRequest'],
      ['a', 'ops', true, 'executeRequest'],
    ]);
    await expect(mediator.syncRecurring([declare('theirs', 'x')], { owner: 'ops' })).rejects.toMatchObject({
      option: 'id',
    });
    await expect(
      mediator.syncRecurring([declare('a', '1'), declare('a', '1')], { owner: 'ops' }),
    ).rejects.toThrow(/declared twice/);
  });

  it('syncRecurring needs an owner; addOrUpdate without one is never removed by a sync', async () => {
    const { mediator } = setup();
    await mediator.addOrUpdate('mine', Tick, { label: 'm' }, { every: '1h' });
    // @ts-expect-error the owner is required
    await expect(mediator.syncRecurring([])).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'owner',
    });
    await expect(mediator.syncRecurring([], { owner: 'temporal-mediator' })).rejects.toMatchObject({
      option: 'owner',
    });
    await expect(
      mediator.addOrUpdate('x', Tick, { label: 'x' }, { every: '1h', owner: 'temporal-mediator' }),
    ).rejects.toMatchObject({ option: 'owner' });
    expect((await mediator.syncRecurring([], { owner: 'ops' })).removed).toEqual([]);
    expect((await mediator.recurring('mine').describe()).id).toBe('mine');
  });

  it('changing the request behind an id updates it in place (never removed in between)', async () => {
    const { mediator } = setup();
    await mediator.addOrUpdate('swap', Tick, { label: 'a' }, { every: '1h' });
    await mediator.recurring('swap').pause('kept');
    await mediator.addOrUpdate('swap', Boom, {}, { every: '1h' });
    const d = await mediator.recurring('swap').describe();
    expect(d.request).toBe(Boom.name);
    // An update keeps the state; a delete and create would not.
    expect(d).toMatchObject({ paused: true, note: 'kept' });
    expect((await list(mediator.listRecurring())).find((s) => s.id === 'swap')?.request).toBe(Boom.name);
  });

  it('close stops recurring runs', async () => {
    const { clock, runs, mediator } = setup();
    await mediator.addOrUpdate('stop', Tick, { label: 's' }, { every: '1m' });
    await mediator.close();
    await clock.advance('5m');
    expect(runs).toEqual([]);
  });
});
