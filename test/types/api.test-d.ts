import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand, defineNotification, defineQuery } from '../../src/index.js';
import type {
  CommandDefinition,
  Duration,
  HandlerContext,
  HandlerResultOf,
  InputOf,
  JobHandle,
  Mediator,
  NotificationDefinition,
  OutputOf,
  ParsedInputOf,
  PublishResult,
  QueryDefinition,
} from '../../src/index.js';

const CreateUser = defineCommand({
  name: 'CreateUser',
  input: z.object({ email: z.string(), name: z.string() }),
  output: z.object({ userId: z.string() }),
});

// Input and output schemas whose parsed type differs from what goes in.
const Transformed = defineQuery({
  name: 'Transformed',
  input: z.object({ count: z.string().transform(Number), tag: z.string().default('none') }),
  output: z.object({ total: z.number().transform(String) }),
});

// Outputs JSON has no form for: a background result must still be a Date, as from send.
const Stamped = defineCommand({
  name: 'Stamped',
  input: z.object({}),
  output: z.object({ at: z.date(), day: z.string().transform((s) => new Date(s)) }),
});

const UserCreated = defineNotification({ name: 'UserCreated', input: z.object({ userId: z.string() }) });

declare const mediator: Mediator;

describe('definitions', () => {
  it('keep their kind, literal name and schemas', () => {
    expectTypeOf(CreateUser.kind).toEqualTypeOf<'command'>();
    expectTypeOf(CreateUser.name).toEqualTypeOf<'CreateUser'>();
    expectTypeOf(Transformed.kind).toEqualTypeOf<'query'>();
    expectTypeOf(UserCreated.kind).toEqualTypeOf<'notification'>();
    expectTypeOf(CreateUser).toExtend<CommandDefinition>();
    expectTypeOf(Transformed).toExtend<QueryDefinition>();
    expectTypeOf(UserCreated).toExtend<NotificationDefinition>();
  });

  it('infer caller input (z.input), handler input (z.output), handler result and caller output', () => {
    expectTypeOf<InputOf<typeof Transformed>>().toEqualTypeOf<{ count: string; tag?: string | undefined }>();
    expectTypeOf<ParsedInputOf<typeof Transformed>>().toEqualTypeOf<{ count: number; tag: string }>();
    expectTypeOf<HandlerResultOf<typeof Transformed>>().toEqualTypeOf<{ total: number }>();
    expectTypeOf<OutputOf<typeof Transformed>>().toEqualTypeOf<{ total: string }>();
    expectTypeOf<OutputOf<typeof UserCreated>>().toEqualTypeOf<void>();
  });

  it('need a zod schema', () => {
    // @ts-expect-error input must be a zod schema
    defineCommand({ name: 'Bad', input: { email: 'string' }, output: z.object({}) });
    // @ts-expect-error commands need an output schema
    defineCommand({ name: 'NoOutput', input: z.object({}) });
  });
});

describe('Mediator', () => {
  it('send, enqueueAsync and job(def, id).result() return the parsed output type', () => {
    expectTypeOf(mediator.send(CreateUser, { email: 'a@b.c', name: 'A' })).resolves.toEqualTypeOf<{
      userId: string;
    }>();
    expectTypeOf(mediator.enqueueAsync(CreateUser, { email: 'a@b.c', name: 'A' })).resolves.toEqualTypeOf<{
      userId: string;
    }>();
    expectTypeOf(mediator.job(CreateUser, 'id').result()).resolves.toEqualTypeOf<{ userId: string }>();
    expectTypeOf(mediator.send(Transformed, { count: '3' })).resolves.toEqualTypeOf<{ total: string }>();
    expectTypeOf(mediator.enqueue(CreateUser, { email: 'a@b.c', name: 'A' })).resolves.toEqualTypeOf<
      JobHandle<{ userId: string }>
    >();
    expectTypeOf(mediator.job('id')).toEqualTypeOf<JobHandle>();
    // Non-JSON outputs: the same type in process and in the background (revived at the caller).
    type StampedOut = { at: Date; day: Date };
    expectTypeOf(mediator.send(Stamped, {})).resolves.toEqualTypeOf<StampedOut>();
    expectTypeOf(mediator.enqueueAsync(Stamped, {})).resolves.toEqualTypeOf<StampedOut>();
    expectTypeOf(mediator.job(Stamped, 'id').result()).resolves.toEqualTypeOf<StampedOut>();
    expectTypeOf(mediator.job('id').result()).resolves.toBeUnknown();
  });

  it('publish and enqueuePublish take notifications', () => {
    expectTypeOf(mediator.publish(UserCreated, { userId: 'u' })).resolves.toBeVoid();
    expectTypeOf(mediator.enqueuePublish(UserCreated, { userId: 'u' })).resolves.toEqualTypeOf<
      JobHandle<PublishResult>
    >();
  });

  it('schedule returns a typed job handle for requests and notifications', () => {
    expectTypeOf(
      mediator.schedule(CreateUser, { email: 'a', name: 'b' }, { delay: '1h' }),
    ).resolves.toEqualTypeOf<JobHandle<{ userId: string }>>();
    expectTypeOf(mediator.schedule(UserCreated, { userId: 'u' }, { delay: '1h' })).resolves.toEqualTypeOf<
      JobHandle<PublishResult>
    >();
  });

  it('refuses wrong inputs and wrong kinds at compile time', () => {
    // @ts-expect-error wrong input type
    void mediator.send(CreateUser, { email: 1, name: 'A' });
    // @ts-expect-error missing required field
    void mediator.send(CreateUser, { email: 'a@b.c' });
    // @ts-expect-error the caller passes the schema input (string), not the parsed number
    void mediator.send(Transformed, { count: 3 });
    // @ts-expect-error wrong input type for enqueueAsync
    void mediator.enqueueAsync(CreateUser, { email: 'a@b.c', name: 2 });
    // @ts-expect-error send takes a command or a query, not a notification
    void mediator.send(UserCreated, { userId: 'u' });
    // @ts-expect-error enqueue takes a command or a query, not a notification
    void mediator.enqueue(UserCreated, { userId: 'u' });
    // @ts-expect-error publish takes a notification, not a command
    void mediator.publish(CreateUser, { email: 'a@b.c', name: 'A' });
    // @ts-expect-error job(def, id) needs a command or query
    mediator.job(UserCreated, 'id');
  });
});

describe('createHandlers', () => {
  it('gives handlers the parsed input and a HandlerContext', () => {
    createHandlers()
      .handle(Transformed, (input, ctx) => {
        expectTypeOf(input).toEqualTypeOf<{ count: number; tag: string }>();
        expectTypeOf(ctx).toEqualTypeOf<HandlerContext>();
        expectTypeOf(ctx.jobId).toEqualTypeOf<string | undefined>();
        return { total: input.count };
      })
      .on(UserCreated, 'audit', (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<{ userId: string }>();
        expectTypeOf(ctx.metadata).toEqualTypeOf<Readonly<Record<string, string>>>();
      });
  });

  it('accepts sync and async handlers returning the output schema input', () => {
    createHandlers()
      .handle(CreateUser, () => Promise.resolve({ userId: 'u' }))
      .handle(Transformed, () => ({ total: 1 }));
  });

  it('refuses handlers of the wrong shape and the wrong registration method', () => {
    // @ts-expect-error the handler returns the wrong type
    createHandlers().handle(CreateUser, () => Promise.resolve({ userId: 1 }));
    // @ts-expect-error the handler returns nothing
    createHandlers().handle(CreateUser, () => {});
    // @ts-expect-error a handler returns the output schema's input (number), not its output (string)
    createHandlers().handle(Transformed, () => ({ total: '1' }));
    // @ts-expect-error the handler declares an input the schema does not produce
    createHandlers().handle(CreateUser, (_input: { id: number }) => ({ userId: 'u' }));
    // @ts-expect-error .on takes a notification, not a command
    createHandlers().on(CreateUser, 'x', () => {});
    // @ts-expect-error .handle takes a command or a query, not a notification
    createHandlers().handle(UserCreated, () => {});
  });
});

describe('Duration', () => {
  it("is the package's own type: SDK duration strings and numbers, nothing else", () => {
    const ok: Duration[] = [1000, '500ms', '30s', '5m', '1.5 hours', '24h', '7d', '2 Weeks', '1Y', '10'];
    expectTypeOf(ok).toEqualTypeOf<Duration[]>();
    // @ts-expect-error a misspelled unit
    const typo: Duration = '5 minutez';
    // @ts-expect-error an object is no duration
    const object: Duration = { foo: 1 };
    // @ts-expect-error a bad duration in a definition's timeout
    defineCommand({ name: 'T', input: z.object({}), output: z.void(), timeout: '30 secondz' });
    expectTypeOf<Duration>().not.toBeAny();
    void typo;
    void object;
  });
});

describe('exactly one of', () => {
  it('recurring jobs take cron or every, not both, not neither', async () => {
    const mediator = {} as Mediator;
    const Cleanup = defineCommand({ name: 'Cleanup', input: z.object({}), output: z.void() });
    await mediator.addOrUpdate('a', Cleanup, {}, { cron: '0 2 * * *', timezone: 'UTC' });
    await mediator.addOrUpdate('b', Cleanup, {}, { every: '1h' });
    // @ts-expect-error cron and every together
    await mediator.addOrUpdate('c', Cleanup, {}, { cron: '@daily', every: '1h' });
    // @ts-expect-error neither cron nor every
    await mediator.addOrUpdate('d', Cleanup, {}, { timezone: 'UTC' });
  });
});

describe('schedule', () => {
  it('takes delay or at, not both, not neither', async () => {
    const mediator = {} as Mediator;
    const Remind = defineCommand({ name: 'Remind', input: z.object({}), output: z.void() });
    await mediator.schedule(Remind, {}, { delay: '24h' });
    await mediator.schedule(Remind, {}, { at: new Date(), jobId: 'r-1' });
    // @ts-expect-error delay and at together
    await mediator.schedule(Remind, {}, { delay: '1h', at: new Date() });
    // @ts-expect-error neither delay nor at
    await mediator.schedule(Remind, {}, { jobId: 'r-2' });
  });
});
