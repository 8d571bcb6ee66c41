import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AggregateHandlerError,
  HandlerNotFoundError,
  HandlerOutputError,
  InvalidOptionError,
  NotConfiguredError,
  RequestValidationError,
  createHandlers,
  createMediator,
  defineCommand,
  defineNotification,
} from '../../src/index.js';
import type {
  HandlerContext,
  MediatorOptions,
  NotificationDefinition,
  RequestDefinition,
} from '../../src/index.js';
import { CreateUser, GetUser, UserCreated, rejectionOf, silentLogger, sleep } from './helpers.js';

const mediatorWith = (options: MediatorOptions) => createMediator({ logger: silentLogger, ...options });

describe('send (in process, no connection)', () => {
  it('runs the handler and returns its result', async () => {
    const handler = vi.fn((input: { email: string; name: string }) =>
      Promise.resolve({ userId: `id-${input.name}` }),
    );
    const mediator = await mediatorWith({ handlers: createHandlers().handle(CreateUser, handler) });
    await expect(mediator.send(CreateUser, { email: 'ada@example.com', name: 'Ada' })).resolves.toEqual({
      userId: 'id-Ada',
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]?.[0]).toEqual({ email: 'ada@example.com', name: 'Ada' });
  });

  it('accepts a synchronous handler', async () => {
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(GetUser, (input) => ({ userId: input.userId, name: 'Ada' })),
    });
    await expect(mediator.send(GetUser, { userId: 'u1' })).resolves.toEqual({ userId: 'u1', name: 'Ada' });
  });

  it('validates the input at the caller and does not call the handler', async () => {
    const handler = vi.fn(() => ({ userId: 'u1' }));
    const mediator = await mediatorWith({ handlers: createHandlers().handle(CreateUser, handler) });
    const err = await rejectionOf(mediator.send(CreateUser, { email: 'not-an-email', name: '' }));
    expect(err).toBeInstanceOf(RequestValidationError);
    const invalid = err as RequestValidationError;
    expect(invalid.code).toBe('REQUEST_VALIDATION');
    expect(invalid.side).toBe('caller');
    expect(invalid.request).toBe('CreateUser');
    expect(invalid.issues.map((i) => i.path)).toEqual([['email'], ['name']]);
    expect(invalid.issues[0]?.code).toBe('invalid_format');
    expect(invalid.issues[1]?.code).toBe('too_small');
    expect(invalid.message).toContain('CreateUser: invalid input (caller)');
    expect(invalid.message).toContain('email:');
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports a missing field with its path', async () => {
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 'x' })),
    });
    const err = (await rejectionOf(
      mediator.send(CreateUser, { email: 'a@b.co' } as unknown as { email: string; name: string }),
    )) as RequestValidationError;
    expect(err.issues).toEqual([expect.objectContaining({ path: ['name'], code: 'invalid_type' })]);
  });

  it('gives the handler the parsed (transformed) input', async () => {
    const Add = defineCommand({
      name: 'Add',
      input: z.object({ a: z.coerce.number(), tag: z.string().trim().default('none') }),
      output: z.number(),
    });
    const seen: unknown[] = [];
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(Add, (input) => {
        seen.push(input);
        return input.a + 1;
      }),
    });
    await expect(mediator.send(Add, { a: '41' })).resolves.toBe(42);
    expect(seen).toEqual([{ a: 41, tag: 'none' }]);
  });

  it('validates the output and throws HandlerOutputError', async () => {
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 7 }) as unknown as { userId: string }),
    });
    const err = await rejectionOf(mediator.send(CreateUser, { email: 'a@b.co', name: 'A' }));
    expect(err).toBeInstanceOf(HandlerOutputError);
    const out = err as HandlerOutputError;
    expect(out.code).toBe('HANDLER_OUTPUT');
    expect(out.request).toBe('CreateUser');
    expect(out.issues).toEqual([expect.objectContaining({ path: ['userId'], code: 'invalid_type' })]);
    expect(out.message).toContain('CreateUser: handler returned an invalid result: userId:');
  });

  it('returns the parsed output (defaults and transforms applied)', async () => {
    const Stamp = defineQuery2();
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(Stamp, () => ({ count: '3' })),
    });
    await expect(mediator.send(Stamp, {})).resolves.toEqual({ count: 3, unit: 'items' });
  });

  it('skips validation when turned off', async () => {
    const handler = vi.fn((input: unknown) => input as { userId: string });
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, handler),
      validate: { input: false, output: false },
    });
    const raw = { email: 'nope', name: '', extra: true } as unknown as { email: string; name: string };
    await expect(mediator.send(CreateUser, raw)).resolves.toBe(raw);
    expect(handler.mock.calls[0]?.[0]).toBe(raw);
  });

  it('throws HandlerNotFoundError listing the registered handlers', async () => {
    const mediator = await mediatorWith({
      handlers: createHandlers()
        .handle(CreateUser, () => ({ userId: 'u' }))
        .on(UserCreated, 'audit', () => {}),
    });
    const err = await rejectionOf(mediator.send(GetUser, { userId: 'u1' }));
    expect(err).toBeInstanceOf(HandlerNotFoundError);
    const notFound = err as HandlerNotFoundError;
    expect(notFound.code).toBe('HANDLER_NOT_FOUND');
    expect(notFound.request).toBe('GetUser');
    expect(notFound.available).toEqual(['CreateUser', 'UserCreated:audit']);
    expect(notFound.message).toBe(
      "No handler for request 'GetUser'. Registered handlers: CreateUser, UserCreated:audit",
    );
  });

  it('throws NotConfiguredError for send and publish when the mediator has no handlers', async () => {
    const mediator = await mediatorWith({});
    const sent = await rejectionOf(mediator.send(CreateUser, { email: 'a@b.co', name: 'A' }));
    expect(sent).toBeInstanceOf(NotConfiguredError);
    expect((sent as NotConfiguredError).code).toBe('NOT_CONFIGURED');
    expect((sent as NotConfiguredError).request).toBe('CreateUser');
    expect((sent as Error).message).toContain('no handlers');
    await expect(mediator.publish(UserCreated, { userId: 'u' })).rejects.toBeInstanceOf(NotConfiguredError);
  });

  it('throws NotConfiguredError for background operations without a connection', async () => {
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 'u' })),
    });
    const input = { email: 'a@b.co', name: 'A' };
    for (const attempt of [
      mediator.enqueue(CreateUser, input),
      mediator.enqueueAsync(CreateUser, input),
      mediator.enqueuePublish(UserCreated, { userId: 'u' }),
      mediator.schedule(CreateUser, input, { delay: '1h' }),
    ]) {
      const err = await rejectionOf(attempt);
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect((err as Error).message).toContain('no Temporal connection');
    }
    expect(() => mediator.job('some-id')).toThrow(NotConfiguredError);
    expect(() => mediator.job(CreateUser, 'some-id')).toThrow(
      /CreateUser: this mediator has no Temporal connection/,
    );
    expect(() => mediator.recurring('daily')).toThrow(NotConfiguredError);
  });

  it('refuses a notification given to send (and a command given to publish)', async () => {
    const mediator = await mediatorWith({ handlers: createHandlers().on(UserCreated, 'audit', () => {}) });
    const err = await rejectionOf(
      mediator.send(UserCreated as unknown as RequestDefinition, { userId: 'u' }),
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('definition');
    expect((err as Error).message).toContain("'UserCreated' is a notification");
    expect((err as Error).message).toContain('use publish or enqueuePublish');
    const wrong = await rejectionOf(
      mediator.publish(CreateUser as unknown as NotificationDefinition, { email: 'a@b.co', name: 'A' }),
    );
    expect(wrong).toBeInstanceOf(InvalidOptionError);
    expect((wrong as Error).message).toContain("'CreateUser' is a command");
  });

  it('gives the handler an in-process context', async () => {
    let ctx: HandlerContext | undefined;
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, (_input, c) => {
        ctx = c;
        c.progress(0.5); // a no-op in process, must not throw
        return { userId: 'u' };
      }),
    });
    await mediator.send(CreateUser, { email: 'a@b.co', name: 'A' }, { metadata: { tenant: 't1' } });
    expect(ctx).toBeDefined();
    expect(ctx?.request).toBe('CreateUser');
    expect(ctx?.kind).toBe('command');
    expect(ctx?.handler).toBeUndefined();
    expect(ctx?.jobId).toBeUndefined();
    expect(ctx?.attempt).toBeUndefined();
    expect(ctx?.idempotencyKey).toBeUndefined();
    expect(ctx?.signal).toBeInstanceOf(AbortSignal);
    expect(ctx?.signal.aborted).toBe(false);
    expect(ctx?.metadata).toEqual({ tenant: 't1' });
    expect(ctx?.log).toBe(silentLogger);
  });

  it("passes the caller's abort signal to the handler", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, async (_input, ctx) => {
        seen = ctx.signal;
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        throw ctx.signal.reason;
      }),
    });
    const pending = mediator.send(CreateUser, { email: 'a@b.co', name: 'A' }, { signal: controller.signal });
    await sleep(5);
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(seen).toBe(controller.signal);
  });

  it('copies the metadata, so a handler cannot change the caller object', async () => {
    const metadata = { tenant: 't1' };
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, (_input, ctx) => {
        (ctx.metadata as Record<string, string>).injected = 'yes';
        return { userId: 'u' };
      }),
    });
    await mediator.send(CreateUser, { email: 'a@b.co', name: 'A' }, { metadata });
    expect(metadata).toEqual({ tenant: 't1' });
  });

  it('propagates the error a handler throws, unchanged', async () => {
    const boom = new Error('boom');
    const mediator = await mediatorWith({
      handlers: createHandlers().handle(CreateUser, () => {
        throw boom;
      }),
    });
    await expect(mediator.send(CreateUser, { email: 'a@b.co', name: 'A' })).rejects.toBe(boom);
  });
});

function defineQuery2() {
  return defineCommand({
    name: 'Stamp',
    input: z.object({}),
    output: z.object({ count: z.string().transform(Number), unit: z.string().default('items') }),
  });
}

describe('publish (in process)', () => {
  const Event = defineNotification({ name: 'OrderPlaced', input: z.object({ orderId: z.string() }) });

  it('runs every handler with the parsed input and its own name', async () => {
    const seen: string[] = [];
    const handlers = createHandlers()
      .on(Event, 'email', (input, ctx) => void seen.push(`${ctx.handler}:${input.orderId}:${ctx.kind}`))
      .on(Event, 'audit', (input, ctx) => void seen.push(`${ctx.handler}:${input.orderId}:${ctx.kind}`));
    const mediator = await mediatorWith({ handlers });
    await expect(mediator.publish(Event, { orderId: 'o1' })).resolves.toBeUndefined();
    expect(seen).toEqual(['email:o1:notification', 'audit:o1:notification']);
  });

  it('validates the input and runs no handler when it is invalid', async () => {
    const handler = vi.fn();
    const mediator = await mediatorWith({ handlers: createHandlers().on(Event, 'email', handler) });
    const err = await rejectionOf(mediator.publish(Event, { orderId: 1 } as unknown as { orderId: string }));
    expect(err).toBeInstanceOf(RequestValidationError);
    expect((err as RequestValidationError).issues[0]?.path).toEqual(['orderId']);
    expect(handler).not.toHaveBeenCalled();
  });

  it('runs handlers one after another by default, in registration order', async () => {
    const order: string[] = [];
    const handler = (name: string, ms: number) => async () => {
      order.push(`${name}:start`);
      await sleep(ms);
      order.push(`${name}:end`);
    };
    const handlers = createHandlers()
      .on(Event, 'slow', handler('slow', 30))
      .on(Event, 'fast', handler('fast', 0))
      .on(Event, 'medium', handler('medium', 10));
    const mediator = await mediatorWith({ handlers });
    await mediator.publish(Event, { orderId: 'o1' });
    expect(order).toEqual(['slow:start', 'slow:end', 'fast:start', 'fast:end', 'medium:start', 'medium:end']);
  });

  function overlapProbe() {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const handler = (name: string, ms: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(`${name}:start`);
      await sleep(ms);
      order.push(`${name}:end`);
      running--;
    };
    const handlers = createHandlers()
      .on(Event, 'slow', handler('slow', 40))
      .on(Event, 'fast', handler('fast', 5));
    return { handlers, order, peak: () => peak };
  }

  it("runs handlers concurrently with strategy 'parallel'", async () => {
    const probe = overlapProbe();
    const mediator = await mediatorWith({ handlers: probe.handlers });
    await mediator.publish(Event, { orderId: 'o1' }, { strategy: 'parallel' });
    expect(probe.peak()).toBe(2);
    expect(probe.order).toEqual(['slow:start', 'fast:start', 'fast:end', 'slow:end']);
  });

  it("uses the mediator's publishStrategy, which a call can override", async () => {
    const parallel = overlapProbe();
    const mediator = await mediatorWith({ handlers: parallel.handlers, publishStrategy: 'parallel' });
    await mediator.publish(Event, { orderId: 'o1' });
    expect(parallel.peak()).toBe(2);

    const sequential = overlapProbe();
    const overridden = await mediatorWith({ handlers: sequential.handlers, publishStrategy: 'parallel' });
    await overridden.publish(Event, { orderId: 'o1' }, { strategy: 'sequential' });
    expect(sequential.peak()).toBe(1);
  });

  it.each(['sequential', 'parallel'] as const)(
    'with %s, one failing handler gives AggregateHandlerError and the others still run',
    async (strategy) => {
      const ran: string[] = [];
      const boom = new TypeError('smtp down');
      const handlers = createHandlers()
        .on(Event, 'first', () => void ran.push('first'))
        .on(Event, 'email', () => {
          ran.push('email');
          return Promise.reject(boom);
        })
        .on(Event, 'last', async () => {
          await sleep(5);
          ran.push('last');
        });
      const mediator = await mediatorWith({ handlers });
      const err = await rejectionOf(mediator.publish(Event, { orderId: 'o1' }, { strategy }));
      expect(err).toBeInstanceOf(AggregateHandlerError);
      const agg = err as AggregateHandlerError;
      expect(agg.code).toBe('AGGREGATE_HANDLER');
      expect(agg.request).toBe('OrderPlaced');
      expect(agg.message).toBe('OrderPlaced: 1 of 3 handler(s) failed: email: smtp down');
      expect(agg.outcomes).toEqual([
        { handler: 'first', status: 'fulfilled' },
        { handler: 'email', status: 'rejected', error: { message: 'smtp down', type: 'TypeError' } },
        { handler: 'last', status: 'fulfilled' },
      ]);
      expect(agg.errors).toEqual([boom]);
      expect(ran.sort()).toEqual(['email', 'first', 'last']);
    },
  );

  it('names every failed handler, and normalises non-Error throws', async () => {
    const handlers = createHandlers()
      .on(Event, 'a', () => Promise.reject(new Error('first failure')))
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error on purpose
      .on(Event, 'b', () => Promise.reject('a string'));
    const mediator = await mediatorWith({ handlers });
    const err = (await rejectionOf(mediator.publish(Event, { orderId: 'o1' }))) as AggregateHandlerError;
    expect(err.message).toBe('OrderPlaced: 2 of 2 handler(s) failed: a: first failure; b: a string');
    expect(err.outcomes[1]).toEqual({
      handler: 'b',
      status: 'rejected',
      error: { message: 'a string', type: 'Error' },
    });
  });

  // Regression: a synchronous throw used to escape publish as the raw error.
  it.each(['sequential', 'parallel'] as const)(
    'with %s, a synchronously throwing handler is collected like an async one',
    async (strategy) => {
      const ran: string[] = [];
      const handlers = createHandlers()
        .on(Event, 'sync-thrower', () => {
          throw new Error('sync failure');
        })
        .on(Event, 'after', () => void ran.push('after'));
      const mediator = await mediatorWith({ handlers });
      const err = await rejectionOf(mediator.publish(Event, { orderId: 'o1' }, { strategy }));
      expect(err).toBeInstanceOf(AggregateHandlerError);
      expect(ran).toEqual(['after']);
    },
  );

  it('is a no-op for a notification without handlers', async () => {
    const Unheard = defineNotification({ name: 'Unheard', input: z.object({}) });
    const mediator = await mediatorWith({ handlers: createHandlers().on(Event, 'x', () => {}) });
    await expect(mediator.publish(Unheard, {})).resolves.toBeUndefined();
  });

  it('still validates the input of a notification without handlers', async () => {
    const Unheard = defineNotification({ name: 'Unheard2', input: z.object({ id: z.string() }) });
    const mediator = await mediatorWith({ handlers: createHandlers() });
    await expect(mediator.publish(Unheard, {} as { id: string })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
  });

  it('passes metadata and the signal to notification handlers', async () => {
    const controller = new AbortController();
    const seen: HandlerContext[] = [];
    const mediator = await mediatorWith({
      handlers: createHandlers().on(Event, 'a', (_i, ctx) => void seen.push(ctx)),
    });
    await mediator.publish(
      Event,
      { orderId: 'o' },
      { metadata: { trace: 'abc' }, signal: controller.signal },
    );
    expect(seen[0]?.metadata).toEqual({ trace: 'abc' });
    expect(seen[0]?.signal).toBe(controller.signal);
    expect(seen[0]?.idempotencyKey).toBeUndefined();
  });
});
