import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  HandlerOutputError,
  InvalidOptionError,
  JobTimeoutError,
  MediatorError,
  RequestValidationError,
  createHandlers,
  createMediator,
  defineCommand,
  loggingBehavior,
  timeoutBehavior,
} from '../../src/index.js';
import type {
  DispatchBehavior,
  DispatchContext,
  Duration,
  HandleBehavior,
  HandleContext,
  HandlerContext,
  Logger,
  RequestHandler,
} from '../../src/index.js';
import { CreateUser, UserCreated, capturingLogger, rejectionOf, silentLogger, sleep } from './helpers.js';

const input = { email: 'ada@example.com', name: 'Ada' };

/** Any test handler; the registry's types are exercised in test/types, not here. */
type TestHandler = (input: never, ctx: HandlerContext) => unknown;

async function mediatorWithHandle(
  behaviors: HandleBehavior[],
  handler: TestHandler = vi.fn(() => ({ userId: 'u1' })),
) {
  const handlers = createHandlers({ behaviors }).handle(
    CreateUser,
    handler as unknown as RequestHandler<typeof CreateUser>,
  );
  return { mediator: await createMediator({ handlers, logger: silentLogger }), handler };
}

const recorder =
  (order: string[], name: string): HandleBehavior =>
  async (_ctx, next) => {
    order.push(`${name}:enter`);
    const result = await next();
    order.push(`${name}:exit`);
    return result;
  };

describe('handle behaviors (createHandlers({ behaviors }))', () => {
  it('wrap the handler, outermost first', async () => {
    const order: string[] = [];
    const handler = vi.fn(() => {
      order.push('handler');
      return { userId: 'u1' };
    });
    const { mediator } = await mediatorWithHandle(
      [recorder(order, 'outer'), recorder(order, 'inner')],
      handler,
    );
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'u1' });
    expect(order).toEqual(['outer:enter', 'inner:enter', 'handler', 'inner:exit', 'outer:exit']);
  });

  it('see the request, kind, validated input and metadata', async () => {
    let seen: HandleContext | undefined;
    const { mediator } = await mediatorWithHandle([
      async (ctx, next) => {
        seen = ctx;
        return next();
      },
    ]);
    await mediator.send(CreateUser, input, { metadata: { tenant: 't1' } });
    expect(seen).toMatchObject({
      request: 'CreateUser',
      kind: 'command',
      handler: undefined,
      input,
      metadata: { tenant: 't1' },
      jobId: undefined,
      attempt: undefined,
    });
    expect(seen?.log).toBe(silentLogger);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it('short-circuit: the handler is not called and the returned value is the result', async () => {
    const { mediator, handler } = await mediatorWithHandle([() => Promise.resolve({ userId: 'cached' })]);
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'cached' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('a short-circuit value still goes through output validation', async () => {
    const { mediator, handler } = await mediatorWithHandle([() => Promise.resolve({ userId: 42 })]);
    await expect(mediator.send(CreateUser, input)).rejects.toBeInstanceOf(HandlerOutputError);
    expect(handler).not.toHaveBeenCalled();

    const Count = defineCommand({
      name: 'Count',
      input: z.object({}),
      output: z.object({ n: z.string().transform(Number) }),
    });
    const handlers = createHandlers({ behaviors: [() => Promise.resolve({ n: '7' })] }).handle(Count, () => ({
      n: '0',
    }));
    const mediator2 = await createMediator({ handlers, logger: silentLogger });
    await expect(mediator2.send(Count, {})).resolves.toEqual({ n: 7 });
  });

  it('can transform the result', async () => {
    const { mediator } = await mediatorWithHandle([
      async (_ctx, next) => {
        const result = (await next()) as { userId: string };
        return { userId: result.userId.toUpperCase() };
      },
    ]);
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'U1' });
  });

  it('can replace the input the handler receives with next({ input })', async () => {
    const seen: unknown[] = [];
    const handler = vi.fn((i: unknown) => {
      seen.push(i);
      return { userId: 'u1' };
    });
    const { mediator } = await mediatorWithHandle(
      [
        async (ctx, next) => next({ input: { ...(ctx.input as object), name: 'Overridden' } }),
        async (ctx, next) => {
          seen.push(`inner saw ${(ctx.input as { name: string }).name}`);
          return next();
        },
      ],
      handler,
    );
    await mediator.send(CreateUser, input);
    expect(seen).toEqual(['inner saw Overridden', { email: input.email, name: 'Overridden' }]);
  });

  it('can replace the signal the handler receives with next({ signal })', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const { mediator } = await mediatorWithHandle(
      [async (_ctx, next) => next({ signal: controller.signal })],
      vi.fn((_i: unknown, ctx: HandlerContext) => {
        seen = ctx.signal;
        return { userId: 'u1' };
      }),
    );
    await mediator.send(CreateUser, input);
    expect(seen).toBe(controller.signal);
  });

  it('see handler errors, and their errors propagate to the caller', async () => {
    const seen: unknown[] = [];
    const boom = new Error('db down');
    const { mediator } = await mediatorWithHandle(
      [
        async (_ctx, next) => {
          try {
            return await next();
          } catch (err) {
            seen.push(err);
            throw new Error('wrapped', { cause: err });
          }
        },
      ],
      vi.fn(() => Promise.reject(boom)),
    );
    const err = await rejectionOf(mediator.send(CreateUser, input));
    expect((err as Error).message).toBe('wrapped');
    expect((err as Error).cause).toBe(boom);
    expect(seen).toEqual([boom]);
  });

  it('can refuse before the handler by throwing', async () => {
    const { mediator, handler } = await mediatorWithHandle([
      () => Promise.reject(new Error('refused by behavior')),
    ]);
    await expect(mediator.send(CreateUser, input)).rejects.toThrow('refused by behavior');
    expect(handler).not.toHaveBeenCalled();
  });

  it('do not run when the input is invalid', async () => {
    const behavior = vi.fn<HandleBehavior>(async (_ctx, next) => next());
    const { mediator } = await mediatorWithHandle([behavior]);
    await expect(mediator.send(CreateUser, { email: 'x', name: '' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(behavior).not.toHaveBeenCalled();
  });

  it('run around each notification handler, with its name', async () => {
    const seen: string[] = [];
    const handlers = createHandlers({
      behaviors: [
        async (ctx, next) => {
          seen.push(`${ctx.request}:${ctx.handler}:${ctx.kind}`);
          return next();
        },
      ],
    })
      .on(UserCreated, 'welcome-email', () => {})
      .on(UserCreated, 'audit', () => {});
    const mediator = await createMediator({ handlers, logger: silentLogger });
    await mediator.publish(UserCreated, { userId: 'u1' });
    expect(seen).toEqual(['UserCreated:welcome-email:notification', 'UserCreated:audit:notification']);
  });
});

describe('loggingBehavior', () => {
  async function run(logger: Logger, behaviors: HandleBehavior[], handler: () => unknown) {
    const handlers = createHandlers({ behaviors }).handle(CreateUser, handler as () => { userId: string });
    const mediator = await createMediator({ handlers, logger });
    return mediator.send(CreateUser, input);
  }

  it('logs each run with its duration at info', async () => {
    const logger = capturingLogger();
    await run(logger, [loggingBehavior()], async () => {
      await sleep(20);
      return { userId: 'u1' };
    });
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.level).toBe('info');
    expect(line?.message).toBe('CreateUser handled');
    const duration = line?.attributes?.durationMs;
    expect(typeof duration).toBe('number');
    expect(duration as number).toBeGreaterThanOrEqual(15);
    expect(duration as number).toBeLessThan(5_000);
  });

  it('logs at debug when asked', async () => {
    const logger = capturingLogger();
    await run(logger, [loggingBehavior({ level: 'debug' })], () => ({ userId: 'u1' }));
    expect(logger.lines.map((l) => l.level)).toEqual(['debug']);
  });

  it('logs failures with the error message and rethrows', async () => {
    const logger = capturingLogger();
    const err = await rejectionOf(
      run(logger, [loggingBehavior()], () => Promise.reject(new Error('db down'))),
    );
    expect((err as Error).message).toBe('db down');
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'CreateUser failed',
        attributes: { durationMs: expect.any(Number) as number, error: 'db down' },
      },
    ]);
  });

  it('names notification handlers as Request:handler', async () => {
    const logger = capturingLogger();
    const handlers = createHandlers({ behaviors: [loggingBehavior()] }).on(UserCreated, 'audit', () => {});
    const mediator = await createMediator({ handlers, logger });
    await mediator.publish(UserCreated, { userId: 'u1' });
    expect(logger.lines.map((l) => l.message)).toEqual(['UserCreated:audit handled']);
  });
});

describe('timeoutBehavior', () => {
  it('fails a slow handler with JobTimeoutError and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    let finished = false;
    const { mediator } = await mediatorWithHandle(
      [timeoutBehavior('50ms')],
      vi.fn(async (_i: unknown, ctx: HandlerContext) => {
        signal = ctx.signal;
        await sleep(300);
        finished = true;
        return { userId: 'late' };
      }),
    );
    const started = performance.now();
    const err = await rejectionOf(mediator.send(CreateUser, input));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect(err).toBeInstanceOf(MediatorError);
    const timeout = err as JobTimeoutError;
    expect(timeout.code).toBe('JOB_TIMEOUT');
    expect(timeout.timeout).toBe('attempt');
    expect(timeout.request).toBe('CreateUser');
    expect(timeout.message).toBe('CreateUser: attempt (start-to-close) timeout of 50ms exceeded');
    expect(elapsed).toBeLessThan(250);
    expect(finished).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(err);
  });

  it('lets a fast handler through and leaves its signal alone', async () => {
    let signal: AbortSignal | undefined;
    const { mediator } = await mediatorWithHandle(
      [timeoutBehavior(200)],
      vi.fn((_i: unknown, ctx: HandlerContext) => {
        signal = ctx.signal;
        return { userId: 'u1' };
      }),
    );
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'u1' });
    await sleep(250);
    expect(signal?.aborted).toBe(false);
  });

  it("forwards the caller's abort to the handler's signal", async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const { mediator } = await mediatorWithHandle(
      [timeoutBehavior('5s')],
      vi.fn(async (_i: unknown, ctx: HandlerContext) => {
        signal = ctx.signal;
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        throw new Error('stopped');
      }),
    );
    const pending = mediator.send(CreateUser, input, { signal: controller.signal });
    await sleep(5);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(pending).rejects.toThrow('stopped');
    expect(signal).not.toBe(controller.signal);
    expect(signal?.reason).toBe(reason);
  });

  // Regression: an already-aborted caller signal used to be replaced by a fresh one.
  it('passes on a caller signal that was already aborted', async () => {
    let signal: AbortSignal | undefined;
    const { mediator } = await mediatorWithHandle(
      [timeoutBehavior('5s')],
      vi.fn((_i: unknown, ctx: HandlerContext) => {
        signal = ctx.signal;
        return { userId: 'u1' };
      }),
    );
    await mediator.send(CreateUser, input, { signal: AbortSignal.abort(new Error('already')) });
    expect(signal?.aborted).toBe(true);
  });

  it('rejects an invalid duration eagerly', () => {
    const soonish = 'soonish' as unknown as Duration;
    expect(() => timeoutBehavior(soonish)).toThrow(InvalidOptionError);
    expect(() => timeoutBehavior(soonish)).toThrow(/'timeoutBehavior'/);
  });
});

describe('dispatch behaviors (createMediator({ behaviors }))', () => {
  async function mediatorWithDispatch(
    behaviors: DispatchBehavior[],
    handler: (i: unknown, ctx: HandlerContext) => unknown = () => ({ userId: 'u1' }),
    handleBehaviors: HandleBehavior[] = [],
  ) {
    const spy = vi.fn(handler);
    const handlers = createHandlers({ behaviors: handleBehaviors }).handle(
      CreateUser,
      spy as (i: unknown, ctx: HandlerContext) => { userId: string },
    );
    return { mediator: await createMediator({ handlers, behaviors, logger: silentLogger }), handler: spy };
  }

  it('run before the handle behaviors and the handler, seeing mode send and the parsed input', async () => {
    const order: string[] = [];
    let seen: DispatchContext | undefined;
    const { mediator } = await mediatorWithDispatch(
      [
        async (ctx, next) => {
          seen = { ...ctx };
          order.push('dispatch:enter');
          const result = await next();
          order.push('dispatch:exit');
          return result;
        },
      ],
      () => {
        order.push('handler');
        return { userId: 'u1' };
      },
      [recorder(order, 'handle')],
    );
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'u1' });
    expect(order).toEqual(['dispatch:enter', 'handle:enter', 'handler', 'handle:exit', 'dispatch:exit']);
    expect(seen).toMatchObject({ request: 'CreateUser', kind: 'command', mode: 'send', input, metadata: {} });
  });

  it('run outermost first', async () => {
    const order: string[] = [];
    const named =
      (name: string): DispatchBehavior =>
      async (_ctx, next) => {
        order.push(`${name}:enter`);
        const result = await next();
        order.push(`${name}:exit`);
        return result;
      };
    const { mediator } = await mediatorWithDispatch([named('a'), named('b')]);
    await mediator.send(CreateUser, input);
    expect(order).toEqual(['a:enter', 'b:enter', 'b:exit', 'a:exit']);
  });

  it('can stamp metadata that the handler sees as ctx.metadata', async () => {
    let metadata: unknown;
    const { mediator } = await mediatorWithDispatch(
      [
        async (ctx, next) => {
          ctx.metadata.tenant = 'acme';
          return next();
        },
      ],
      (_i, ctx) => {
        metadata = ctx.metadata;
        return { userId: 'u1' };
      },
    );
    await mediator.send(CreateUser, input, { metadata: { traceId: 't-1' } });
    expect(metadata).toEqual({ traceId: 't-1', tenant: 'acme' });
  });

  it('can replace the input', async () => {
    const { mediator, handler } = await mediatorWithDispatch([
      async (ctx, next) => {
        ctx.input = { ...(ctx.input as object), name: 'Renamed' };
        return next();
      },
    ]);
    await mediator.send(CreateUser, input);
    expect(handler.mock.calls[0]?.[0]).toEqual({ email: input.email, name: 'Renamed' });
  });

  it('can short-circuit: the handler is not called', async () => {
    const { mediator, handler } = await mediatorWithDispatch([
      () => Promise.resolve({ userId: 'from-cache' }),
    ]);
    await expect(mediator.send(CreateUser, input)).resolves.toEqual({ userId: 'from-cache' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('can refuse by throwing: the handler is not called', async () => {
    class ForbiddenError extends Error {
      override readonly name = 'ForbiddenError';
    }
    const { mediator, handler } = await mediatorWithDispatch([
      async (ctx, next) => {
        if (ctx.metadata.role !== 'admin') throw new ForbiddenError(`${ctx.request} needs admin`);
        return next();
      },
    ]);
    await expect(mediator.send(CreateUser, input, { metadata: { role: 'guest' } })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(handler).not.toHaveBeenCalled();
    await expect(mediator.send(CreateUser, input, { metadata: { role: 'admin' } })).resolves.toEqual({
      userId: 'u1',
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('do not run when the input is invalid', async () => {
    const behavior = vi.fn<DispatchBehavior>(async (_ctx, next) => next());
    const { mediator } = await mediatorWithDispatch([behavior]);
    await expect(mediator.send(CreateUser, { email: '', name: '' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(behavior).not.toHaveBeenCalled();
  });

  it('run for publish with mode publish, and their metadata reaches every handler', async () => {
    const modes: string[] = [];
    const seen: unknown[] = [];
    const handlers = createHandlers()
      .on(UserCreated, 'a', (_i, ctx) => void seen.push(ctx.metadata))
      .on(UserCreated, 'b', (_i, ctx) => void seen.push(ctx.metadata));
    const mediator = await createMediator({
      handlers,
      logger: silentLogger,
      behaviors: [
        async (ctx, next) => {
          modes.push(`${ctx.mode}:${ctx.kind}`);
          ctx.metadata.stamped = 'yes';
          return next();
        },
      ],
    });
    await mediator.publish(UserCreated, { userId: 'u1' });
    expect(modes).toEqual(['publish:notification']);
    expect(seen).toEqual([{ stamped: 'yes' }, { stamped: 'yes' }]);
  });
});
