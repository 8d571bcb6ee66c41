import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ScheduleOptions } from '../../src/dispatch/plan.js';
import { z } from 'zod';
import {
  createHandlers,
  createInMemoryMediator,
  createMediator,
  createTestClock,
  defineCommand,
  InMemoryMediator,
  JobNotFoundError,
  Mediator,
} from '../../src/index.js';
import type { HandlerContext, MediatorApi } from '../../src/index.js';
import { CreateUser, GetUser, UserCreated, rejectionOf, silentLogger } from './helpers.js';

const Fails = defineCommand({ name: 'Fails', input: z.object({}), output: z.object({}) });
const Stamp = defineCommand({
  name: 'Stamp',
  input: z.object({ at: z.string() }),
  output: z.object({ at: z.date() }),
});
const Quiet = defineCommand({ name: 'Quiet', input: z.object({}), output: z.object({}), console: false });

describe('in-memory mediator: construction and interface', () => {
  it('createMediator({ inMemory: true }) returns an InMemoryMediator; both backends implement MediatorApi', async () => {
    const mediator = await createMediator({
      inMemory: true,
      handlers: createHandlers(),
      logger: silentLogger,
    });
    expect(mediator).toBeInstanceOf(InMemoryMediator);
    expectTypeOf(mediator).toEqualTypeOf<InMemoryMediator>();
    expectTypeOf<InMemoryMediator>().toExtend<MediatorApi>();
    expectTypeOf<Mediator>().toExtend<MediatorApi>();
    const temporal = await createMediator({ logger: silentLogger });
    expect(temporal).toBeInstanceOf(Mediator);
    expectTypeOf(temporal).toEqualTypeOf<Mediator>();
  });

  it('send and publish run in process, as on the Temporal mediator', async () => {
    const seen: string[] = [];
    const handlers = createHandlers()
      .handle(GetUser, (input) => ({ userId: input.userId, name: 'Ada' }))
      .on(UserCreated, 'audit', (event) => void seen.push(event.userId));
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger, maxRecords: 100 });
    await expect(mediator.send(GetUser, { userId: 'u1' })).resolves.toEqual({ userId: 'u1', name: 'Ada' });
    await mediator.publish(UserCreated, { userId: 'u2' });
    expect(seen).toEqual(['u2']);
    expect(mediator.dispatched().map((r) => [r.mode, r.request])).toEqual([
      ['send', 'GetUser'],
      ['publish', 'UserCreated'],
    ]);
  });

  it('refuses the wrong kind, a bad priority, an oversized payload, and calls after close', async () => {
    const mediator = createInMemoryMediator({ logger: silentLogger, maxPayloadBytes: 1_000 });
    await expect(mediator.enqueue(UserCreated as never, { userId: 'u' } as never)).rejects.toMatchObject({
      option: 'definition',
    });
    await expect(mediator.enqueue(GetUser, { userId: 'u' }, { priority: 9 })).rejects.toMatchObject({
      option: 'priority',
    });
    await expect(mediator.enqueue(GetUser, { userId: 'x'.repeat(2_000) })).rejects.toMatchObject({
      name: 'PayloadError',
    });
    await expect(mediator.schedule(GetUser, { userId: 'u' }, {} as ScheduleOptions)).rejects.toMatchObject({
      option: 'delay',
    });
    await mediator.close();
    await expect(mediator.enqueue(GetUser, { userId: 'u' })).rejects.toMatchObject({
      name: 'NotConfiguredError',
    });
  });
});

describe('in-memory mediator: jobs on a test clock', () => {
  it('a job scheduled for tomorrow runs when the clock gets there, not before', async () => {
    const clock = createTestClock({ start: new Date('2030-01-01T00:00:00Z') });
    const ran: string[] = [];
    const handlers = createHandlers().handle(CreateUser, (input) => {
      ran.push(input.name);
      return { userId: 'u1' };
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.schedule(
      CreateUser,
      { email: 'ada@example.com', name: 'Ada' },
      { delay: '24h' },
    );
    await clock.advance('23h');
    expect(await job.status()).toBe('scheduled');
    expect(ran).toEqual([]);
    await clock.advance('1h');
    expect(await job.status()).toBe('completed');
    expect(await job.result()).toEqual({ userId: 'u1' });
    const d = await job.describe();
    expect(d).toMatchObject({ request: 'CreateUser', queue: 'critical', description: 'CreateUser' });
    expect(d.executionTime).toEqual(new Date('2030-01-02T00:00:00Z'));
    expect(d.closeTime).toEqual(new Date('2030-01-02T00:00:00Z'));
  });

  it('uses the default retry policy: 3 attempts, 1s then 2s apart, then HandlerFailedError', async () => {
    const clock = createTestClock({ start: 0 });
    const attempts: { attempt: number | undefined; at: number; key: string | undefined }[] = [];
    const handlers = createHandlers().handle(Fails, (_input, ctx) => {
      attempts.push({ attempt: ctx.attempt, at: clock.now(), key: ctx.idempotencyKey });
      throw new TypeError('nope');
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(Fails, {}, { jobId: 'fails-1' });
    const err = await rejectionOf(clock.runUntil(job.result()));
    expect(err).toMatchObject({
      name: 'HandlerFailedError',
      type: 'TypeError',
      attempt: 3,
      jobId: 'fails-1',
    });
    expect(attempts).toEqual([
      { attempt: 1, at: 0, key: 'fails-1' },
      { attempt: 2, at: 1_000, key: 'fails-1' },
      { attempt: 3, at: 3_000, key: 'fails-1' },
    ]);
  });

  it('caps the backoff at maximumInterval and retries forever with maximumAttempts 0', async () => {
    const clock = createTestClock({ start: 0 });
    const at: number[] = [];
    const handlers = createHandlers().handle(Fails, (_input, ctx) => {
      at.push(clock.now());
      if ((ctx.attempt ?? 0) < 6) throw new Error('again');
      return {};
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(
      Fails,
      {},
      { retry: { maximumAttempts: 0, initialInterval: '1s', backoffCoefficient: 3, maximumInterval: '5s' } },
    );
    await clock.runUntil(job.result());
    expect(at.slice(1).map((t, i) => t - (at[i] ?? 0))).toEqual([1_000, 3_000, 5_000, 5_000, 5_000]);
  });

  it('times an attempt out after the default 5 minutes', async () => {
    const clock = createTestClock({ start: 0 });
    const handlers = createHandlers().handle(
      Fails,
      (_input, ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(Fails, {}, { retry: { maximumAttempts: 1 } });
    await clock.advance('4m');
    expect(await job.status()).toBe('running');
    await clock.advance('1m');
    await expect(job.result()).rejects.toMatchObject({ name: 'JobTimeoutError', timeout: 'attempt' });
  });

  it('results travel as JSON, like on Temporal, and come back as the output type: a Date is a Date', async () => {
    const handlers = createHandlers().handle(Stamp, (input) => ({ at: new Date(input.at) }));
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger });
    const out = await mediator.enqueueAsync(Stamp, { at: '2030-01-01T00:00:00.000Z' });
    expect(out.at).toBeInstanceOf(Date);
    expect(out).toEqual({ at: new Date('2030-01-01T00:00:00.000Z') });
    await expect(mediator.send(Stamp, { at: '2030-01-01T00:00:00.000Z' })).resolves.toEqual({
      at: new Date('2030-01-01T00:00:00.000Z'),
    });
  });

  it('keeps no console for requests with console: false, or when the worker console is off', async () => {
    const handlers = createHandlers()
      .handle(Quiet, (_input, ctx) => {
        ctx.log.info('not kept');
        return {};
      })
      .handle(Fails, (_input, ctx) => {
        ctx.log.info('kept');
        ctx.progress(0.25);
        return {};
      });
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger });
    const quiet = await mediator.enqueue(Quiet, {});
    await quiet.result();
    expect(await quiet.logs()).toEqual([]);
    const loud = await mediator.enqueue(Fails, {});
    await loud.result();
    expect(await loud.logs()).toMatchObject([{ level: 'info', message: 'kept', attempt: 1 }]);
    expect(await loud.progress()).toMatchObject({ fraction: 0.25 });
    const off = createInMemoryMediator({ handlers, logger: silentLogger, worker: { console: false } });
    const job = await off.enqueue(Fails, {});
    await job.result();
    expect(await job.logs()).toEqual([]);
    expect(await job.progress()).toBeNull();
  });

  it('delete removes a job (and stops it); unknown ids give JobNotFoundError', async () => {
    let signal: AbortSignal | undefined;
    const handlers = createHandlers().handle(Fails, (_input, ctx: HandlerContext) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger });
    const job = await mediator.enqueue(Fails, {});
    await Promise.resolve();
    await job.delete();
    expect(signal?.aborted).toBe(true);
    await expect(job.status()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(mediator.job('nope').describe()).rejects.toMatchObject({
      name: 'JobNotFoundError',
      jobId: 'nope',
    });
  });

  it('whenIdle waits for running jobs; close terminates open ones', async () => {
    const handlers = createHandlers().handle(Fails, async () => {
      await new Promise((r) => setTimeout(r, 20));
      return {};
    });
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger });
    const jobs = await Promise.all([1, 2, 3].map(() => mediator.enqueue(Fails, {})));
    const delayed = await mediator.schedule(Fails, {}, { delay: '1h' });
    await mediator.whenIdle();
    expect(await Promise.all(jobs.map((j) => j.status()))).toEqual(['completed', 'completed', 'completed']);
    expect(await delayed.status()).toBe('scheduled');
    await mediator.close();
    expect(await delayed.status()).toBe('terminated');
    await expect(delayed.result()).rejects.toMatchObject({ name: 'JobFailedError' });
  });
});
