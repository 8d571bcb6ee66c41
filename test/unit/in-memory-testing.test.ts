import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHandlers,
  createInMemoryMediator,
  createMediator,
  defineCommand,
  InvalidOptionError,
  NonRetryableError,
} from '../../src/index.js';
import { createTestHarness } from '../../src/testing/index.js';
import { mediatorMatchers } from '../../src/testing/vitest.js';
import type { InMemoryMediator, MediatorApi } from '../../src/testing/index.js';
import { CreateUser, UserCreated, silentLogger } from './helpers.js';

const ChargeCard = defineCommand({
  name: 'ChargeCard',
  input: z.object({ orderId: z.string(), cents: z.number().int() }),
  output: z.object({ chargeId: z.string() }),
  retry: { maximumAttempts: 3, initialInterval: '1s' },
});

/** Code under test: takes any mediator (Temporal or in-memory) and dispatches. */
async function signUp(mediator: MediatorApi, email: string): Promise<string> {
  const job = await mediator.enqueue(CreateUser, { email, name: email.split('@')[0] ?? 'x' });
  await mediator.schedule(UserCreated, { userId: job.id }, { delay: '1h' });
  return job.id;
}

beforeAll(() => {
  expect.extend(mediatorMatchers);
});

describe('test harness', () => {
  it('records what the code under test enqueued: inputs and job ids', async () => {
    const harness = createTestHarness();
    const jobId = await signUp(harness.mediator, 'ada@example.com');
    expect(harness.enqueued(CreateUser)).toEqual([
      expect.objectContaining({ mode: 'enqueue', input: { email: 'ada@example.com', name: 'ada' }, jobId }),
    ]);
    expect(harness.scheduled(UserCreated)).toMatchObject([
      { input: { userId: jobId }, options: { delay: '1h' } },
    ]);
    expect(harness.enqueued(UserCreated)).toHaveLength(1);
    expect(harness.sent(CreateUser)).toEqual([]);
    harness.reset();
    expect(harness.dispatched()).toEqual([]);
  });

  it('stubs a handler result; validation and the job path still apply', async () => {
    const harness = createTestHarness();
    const stub = harness.stub(CreateUser).returns({ userId: 'u-42' });
    await expect(
      harness.mediator.enqueueAsync(CreateUser, { email: 'ada@example.com', name: 'Ada' }),
    ).resolves.toEqual({
      userId: 'u-42',
    });
    expect(stub.calls).toMatchObject([{ input: { email: 'ada@example.com', name: 'Ada' }, attempt: 1 }]);
    harness.stub(CreateUser).returns({ userId: 42 } as unknown as { userId: string });
    await expect(
      harness.mediator.enqueueAsync(CreateUser, { email: 'b@example.com', name: 'B' }),
    ).rejects.toMatchObject({
      name: 'HandlerOutputError',
    });
    await expect(
      harness.mediator.send(CreateUser, { email: 'c@example.com', name: 'C' }),
    ).rejects.toMatchObject({
      name: 'HandlerOutputError',
    });
  });

  it('stubs failures: throwsOnce then returns, with retries on the test clock; NonRetryableError stops at once', async () => {
    const harness = createTestHarness();
    const stub = harness
      .stub(ChargeCard)
      .throwsOnce(new Error('gateway timeout'))
      .returns({ chargeId: 'ch_1' });
    const job = await harness.mediator.enqueue(ChargeCard, { orderId: 'o1', cents: 500 });
    await harness.clock.advance('1s');
    expect(await job.result()).toEqual({ chargeId: 'ch_1' });
    expect(stub.calls.map((c) => c.attempt)).toEqual([1, 2]);
    harness.stub(ChargeCard).throws(new NonRetryableError('card declined', { type: 'CardDeclined' }));
    await expect(
      harness.mediator.enqueueAsync(ChargeCard, { orderId: 'o2', cents: 1 }),
    ).rejects.toMatchObject({
      name: 'HandlerFailedError',
      type: 'CardDeclined',
      attempt: 1,
    });
  });

  it('stubs one handler of a notification, beside the real ones; unstub restores the real handler', async () => {
    const seen: string[] = [];
    const handlers = createHandlers()
      .on(UserCreated, 'welcome', (e) => void seen.push(`welcome ${e.userId}`))
      .on(UserCreated, 'audit', (e) => void seen.push(`audit ${e.userId}`));
    const harness = createTestHarness({ handlers });
    harness.stub(UserCreated, 'welcome').throws(new NonRetryableError('smtp down'));
    const job = await harness.mediator.enqueuePublish(UserCreated, { userId: 'u1' });
    await expect(job.result()).rejects.toMatchObject({
      name: 'AggregateHandlerError',
      outcomes: [
        {
          handler: 'welcome',
          status: 'rejected',
          error: { message: 'smtp down', type: 'NonRetryableError' },
        },
        { handler: 'audit', status: 'fulfilled' },
      ],
    });
    harness.unstub(UserCreated, 'welcome');
    await harness.mediator.publish(UserCreated, { userId: 'u2' });
    expect(seen).toEqual(['audit u1', 'welcome u2', 'audit u2']);
    expect(() => harness.stub(UserCreated)).toThrow(/stub one of its handlers by name/);
  });
});

describe('vitest matchers', () => {
  it('toHaveEnqueued matches the request and the given input fields, on the mediator or the harness', async () => {
    const harness = createTestHarness();
    const mediator: InMemoryMediator = harness.mediator;
    await signUp(mediator, 'ada@example.com');
    expect(mediator).toHaveEnqueued(CreateUser, { email: 'ada@example.com' });
    expect(mediator).toHaveEnqueued(CreateUser);
    expect(harness).toHaveEnqueued(CreateUser, { email: expect.stringContaining('@example.com') as string });
    expect(mediator).not.toHaveEnqueued(CreateUser, { email: 'bob@example.com' });
    expect(mediator).toHaveEnqueuedTimes(CreateUser, 1);
    expect(mediator).toHaveScheduled(UserCreated);
    expect(mediator).toHavePublished(UserCreated);
    expect(mediator).not.toHaveSent(CreateUser);
  });

  it('explains a failed match with what was dispatched', async () => {
    const harness = createTestHarness();
    await signUp(harness.mediator, 'ada@example.com');
    expect(() => expect(harness.mediator).toHaveEnqueued(CreateUser, { email: 'bob@example.com' })).toThrow(
      /to have enqueued CreateUser with .*bob@example.com.*it enqueued CreateUser 1 time\(s\), with:\n.*ada@example.com/s,
    );
    expect(() => expect(harness.mediator).toHaveSent(CreateUser)).toThrow(/it never sent CreateUser/);
    expect(() => expect(harness.mediator).toHaveEnqueuedTimes(CreateUser, 2)).toThrow(/it did 1 time\(s\)/);
  });

  it('types the expected input from the definition', () => {
    const check = (mediator: InMemoryMediator) => {
      // @ts-expect-error CreateUser's email is a string
      expect(mediator).toHaveEnqueued(CreateUser, { email: 1 });
      // @ts-expect-error CreateUser has no field 'mail'
      expect(mediator).toHaveEnqueued(CreateUser, { mail: 'a@b.c' });
    };
    expect(check).toBeTypeOf('function');
  });

  it('keeps records by default; a plain in-memory mediator keeps none unless asked, and says so', async () => {
    const harness = createTestHarness({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 'u' })),
    });
    await harness.mediator.send(CreateUser, { email: 'ada@example.com', name: 'a' });
    expect(harness).toHaveSent(CreateUser);
    const plain = createInMemoryMediator({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 'u' })),
    });
    await plain.send(CreateUser, { email: 'ada@example.com', name: 'a' });
    // Not an empty list: `not.toHaveSent` must not pass because nothing was recorded.
    expect(() => plain.dispatched()).toThrow(InvalidOptionError);
    expect(() => plain.dispatched()).toThrow(
      /invalid option 'maxRecords'.*keeps no dispatch records.*createTestHarness/,
    );
    expect(() => expect(plain).not.toHaveSent(CreateUser)).toThrow(/keeps no dispatch records/);
    const inMemoryMode = await createMediator({ inMemory: true, logger: silentLogger });
    expect(() => inMemoryMode.dispatched()).toThrow(/maxRecords/);
    const kept = createInMemoryMediator({
      handlers: createHandlers().handle(CreateUser, () => ({ userId: 'u' })),
      maxRecords: 1,
    });
    await kept.send(CreateUser, { email: 'ada@example.com', name: 'a' });
    await kept.send(CreateUser, { email: 'dan@example.com', name: 'd' });
    expect(kept.dispatched().map((r) => r.input)).toEqual([{ email: 'dan@example.com', name: 'd' }]);
    expect(() => createTestHarness({ maxRecords: 0 }).dispatched()).toThrow(/maxRecords/);
  });

  it('refuses a mediator that records nothing (the Temporal one)', async () => {
    const temporal = await createMediator({ logger: silentLogger });
    expect(() => expect(temporal).toHaveEnqueued(CreateUser)).toThrow(
      /needs an in-memory mediator or a test harness/,
    );
  });
});
