import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildEnvelope } from '../../src/dispatch/plan.js';
import { envelopeProblemsOf } from '../../src/dispatch/envelope.js';
import { defaultMediatorOptions } from '../../src/dispatch/options.js';
import {
  ContractVersionError,
  InvalidOptionError,
  MediatorError,
  RequestValidationError,
  createHandlers,
  createInMemoryMediator,
  createTestClock,
  defineCommand,
  defineNotification,
} from '../../src/index.js';
import { upcastInput, workerInput } from '../../src/contracts/upcast.js';
import { CONTRACT_AHEAD_TYPE } from '../../workflows/constants.js';
import { rejectionOf, silentLogger, thrownBy } from './helpers.js';
import { V1, V2, V3, greetReleases } from '../fixtures/versioned-greet.js';

const output = z.object({ greeting: z.string() });

const { v1: GreetV1, v2: GreetV2, v3: GreetV3 } = greetReleases('Greet', output);
const greet = (input: { first: string; last: string }) => ({
  greeting: `Hello, ${input.first} ${input.last}`,
});

describe('defineCommand({ version, previousInputs, upcast })', () => {
  it('refuses a version that is not an integer >= 1', () => {
    const err = thrownBy(() => defineCommand({ name: 'X', version: 1.5, input: V1, output }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toMatchObject({ option: 'version', request: 'X' });
  });

  it('refuses upcasters and schemas for versions that are not older than the contract', () => {
    const err = thrownBy(() =>
      defineCommand({ name: 'X', version: 2, input: V2, output, previousInputs: { 1: V1, 2: V2 } }),
    );
    expect(err).toMatchObject({
      option: 'previousInputs',
      message: expect.stringMatching(/key 2/) as string,
    });
    const notFn = thrownBy(() =>
      // @ts-expect-error an untyped (JavaScript) caller may pass anything
      defineNotification({ name: 'N', version: 2, input: V2, upcast: { 1: 'nope' } }),
    );
    expect(notFn).toMatchObject({ option: 'upcast' });
  });

  it('refuses a gap in previousInputs (every version from the oldest to version - 1)', () => {
    const err = thrownBy(() =>
      defineCommand({ name: 'X', version: 3, input: V3, output, previousInputs: { 1: V1 } }),
    );
    expect(err).toMatchObject({ option: 'previousInputs', message: expect.stringMatching(/to 2/) as string });
  });
});

describe('upcasting on the worker side', () => {
  it('brings a v1 payload to v3 step by step, each step parsed by its own schema', async () => {
    await expect(upcastInput(GreetV3, { name: 'Ada Lovelace' }, 1)).resolves.toEqual({
      first: 'Ada',
      last: 'Lovelace',
      title: 'Dr',
    });
    await expect(upcastInput(GreetV3, { first: 'A', last: 'B' }, 2)).resolves.toEqual({
      first: 'A',
      last: 'B',
      title: 'Dr',
    });
  });

  it('runs a current payload unchanged, upcasts an unversioned one; a payload newer than the contract is refused as ContractVersionAhead', async () => {
    const current = { first: 'A', last: 'B' };
    await expect(workerInput(GreetV2, current, { from: 2, validate: true })).resolves.toEqual(current);
    // No version in the envelope: a version 1 payload, upcast even with validation off.
    await expect(
      workerInput(GreetV2, { name: 'Ada King' }, { from: undefined, validate: false }),
    ).resolves.toEqual({ first: 'Ada', last: 'King' });
    const ahead = await rejectionOf(workerInput(GreetV2, current, { from: 3, validate: true }));
    expect(ahead).toBeInstanceOf(ApplicationFailure);
    expect(ahead).toMatchObject({ type: CONTRACT_AHEAD_TYPE, nonRetryable: true });
  });

  it('an upcaster that throws: ContractVersionError with the request, both versions and the cause', async () => {
    const cause = new Error('no name to split');
    const Broken = defineCommand({
      name: 'Broken',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      upcast: {
        1: () => {
          throw cause;
        },
      },
    });
    const err = await rejectionOf(
      workerInput(Broken, { name: 'x' }, { from: 1, validate: true, jobId: 'j1' }),
    );
    expect(err).toBeInstanceOf(ContractVersionError);
    expect(err).toBeInstanceOf(MediatorError);
    expect(err).toMatchObject({
      code: 'CONTRACT_VERSION',
      request: 'Broken',
      fromVersion: 1,
      toVersion: 2,
      jobId: 'j1',
      cause,
    });
    expect((err as Error).message).toMatch(/Broken.*version 1 to 2.*upcast\[1\] threw: no name to split/);
  });

  it('an upcaster returning an input the next schema rejects: ContractVersionError, not bad input', async () => {
    const Sloppy = defineCommand({
      name: 'Sloppy',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      upcast: { 1: (old) => ({ first: old.name, last: 7 as unknown as string }) },
    });
    const err = await rejectionOf(workerInput(Sloppy, { name: 'x' }, { from: 1, validate: true }));
    expect(err).toBeInstanceOf(ContractVersionError);
    expect((err as ContractVersionError).cause).toBeInstanceOf(RequestValidationError);
  });

  it('a v1 payload that fails its own v1 schema is bad input: RequestValidationError', async () => {
    const err = await rejectionOf(workerInput(GreetV2, { name: 42 }, { from: 1, validate: true }));
    expect(err).toBeInstanceOf(RequestValidationError);
  });
});

describe('the envelope carries the caller’s contract version', () => {
  const resolved = defaultMediatorOptions({ logger: silentLogger });
  const plan = (definition: typeof GreetV1 | typeof GreetV2, input: unknown) => ({
    mode: 'enqueue' as const,
    definition,
    input,
    metadata: {},
    options: {},
  });

  it('version 1 contracts write envelope v1 without a version (readable by every release)', () => {
    const { envelope } = buildEnvelope(plan(GreetV1, { name: 'a' }), resolved);
    expect(envelope.v).toBe(1);
    expect('version' in envelope).toBe(false);
  });

  it('a version 2 contract writes envelope v2 with version: 2, which the envelope schema accepts', () => {
    const { envelope } = buildEnvelope(plan(GreetV2, { first: 'a', last: 'b' }), resolved);
    expect(envelope).toMatchObject({ v: 2, version: 2, request: 'Greet' });
    expect(envelopeProblemsOf(envelope)).toEqual([]);
  });
});

describe('in-memory backend: the same version rules', () => {
  it('a job a v1 caller scheduled with a delay runs on v2 handlers with the upcast input', async () => {
    const clock = createTestClock({ start: 0 });
    const seen: unknown[] = [];
    const handlers = createHandlers().handle(GreetV2, (input) => {
      seen.push(input);
      return greet(input);
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.schedule(GreetV1, { name: 'Ada Lovelace' }, { delay: '1h' });
    await expect(clock.runUntil(job.result())).resolves.toEqual({ greeting: 'Hello, Ada Lovelace' });
    expect(seen).toEqual([{ first: 'Ada', last: 'Lovelace' }]);
  });

  it('a schedule created with the v1 contract fires on v2 handlers', async () => {
    const clock = createTestClock({ start: 0 });
    const seen: unknown[] = [];
    const handlers = createHandlers().handle(GreetV2, (input) => {
      seen.push(input);
      return greet(input);
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const handle = await mediator.addOrUpdate('greet-hourly', GreetV1, { name: 'Ada King' }, { every: '1h' });
    await clock.advance('1h');
    await clock.advance('1s');
    expect(seen).toEqual([{ first: 'Ada', last: 'King' }]);
    await handle.remove();
  });

  it('a v3 payload on v2 handlers waits: running, handler never called, no retry spent; cancel ends it', async () => {
    const clock = createTestClock({ start: 0 });
    let calls = 0;
    const handlers = createHandlers().handle(GreetV2, (input) => {
      calls++;
      return greet(input);
    });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(
      GreetV3,
      { first: 'A', last: 'B', title: 'Dr' },
      { retry: { maximumAttempts: 1 } },
    );
    await clock.advance('6h');
    expect(await job.status()).toBe('running');
    expect(calls).toBe(0);
    await job.cancel();
    await expect(clock.runUntil(job.result())).rejects.toMatchObject({ name: 'JobCancelledError' });
  });

  it('an upcaster that throws fails the job at once with ContractVersionError', async () => {
    const clock = createTestClock({ start: 0 });
    const Broken = defineCommand({
      name: 'Greet',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      upcast: {
        1: (): { first: string; last: string } => {
          throw new Error('cannot split');
        },
      },
    });
    const handlers = createHandlers().handle(Broken, greet);
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(GreetV1, { name: 'x' });
    const err = await rejectionOf(clock.runUntil(job.result()));
    expect(err).toBeInstanceOf(ContractVersionError);
    expect(err).toMatchObject({ request: 'Greet', fromVersion: 1, toVersion: 2, attempt: 1 });
    expect((err as Error).message).toMatch(/cannot split/);
  });
});
