import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import type { ScheduleOptions } from '../../src/dispatch/plan.js';
import { z } from 'zod';
import { buildEnvelope, checkPayload } from '../../src/dispatch/plan.js';
import { defaultMediatorOptions } from '../../src/dispatch/options.js';
import type { JobPlan } from '../../src/dispatch/plan.js';
import {
  EXECUTE_REQUEST_WORKFLOW,
  InvalidOptionError,
  PayloadError,
  RequestValidationError,
  SearchAttributeMissingError,
  createMediator,
  defineCommand,
} from '../../src/index.js';
import { envelopeProblemsOf } from '../../src/dispatch/envelope.js';
import type {
  DispatchBehavior,
  DispatchContext,
  Duration,
  Envelope,
  MediatorOptions,
} from '../../src/index.js';
import { CreateUser, rejectionOf, silentLogger, thrownBy } from './helpers.js';

const input = { email: 'ada@example.com', name: 'Ada' };
const Plain = defineCommand({ name: 'Plain', input: z.object({}), output: z.object({}) });

function plan(overrides: Partial<JobPlan> = {}): JobPlan {
  return { mode: 'enqueue', definition: CreateUser, input, metadata: {}, options: {}, ...overrides };
}
const resolved = (options: MediatorOptions = {}) =>
  defaultMediatorOptions({ logger: silentLogger, ...options });

describe('buildEnvelope', () => {
  it('builds a v1 envelope with the request, kind, input, metadata and durations in ms', () => {
    const { envelope, queue, description } = buildEnvelope(plan({ metadata: { tenant: 't1' } }), resolved());
    expect(queue).toBe('critical');
    expect(description).toBe('CreateUser');
    expect(envelope).toEqual({
      v: 1,
      request: 'CreateUser',
      kind: 'command',
      input,
      description: 'CreateUser',
      metadata: { tenant: 't1' },
      activity: {
        timeoutMs: 30_000,
        retry: {
          maximumAttempts: 3,
          initialIntervalMs: 1_000,
          backoffCoefficient: 2,
          maximumIntervalMs: undefined,
          nonRetryableErrorTypes: undefined,
        },
      },
    });
    expect(envelopeProblemsOf(JSON.parse(JSON.stringify(envelope)))).toEqual([]);
  });

  it("defaults the description to the request name and the queue to 'default'", () => {
    const built = buildEnvelope(plan({ definition: Plain, input: {} }), resolved());
    expect(built.description).toBe('Plain');
    expect(built.envelope.description).toBe('Plain');
    expect(built.queue).toBe('default');
    expect(built.envelope.activity?.timeoutMs).toBeUndefined();
    expect(built.envelope.activity?.local).toBeUndefined();
  });

  it('takes the queue from the call, then the definition, then the mediator defaults', () => {
    const mediatorDefaults = resolved({ defaults: { queue: 'from-mediator' } });
    expect(buildEnvelope(plan({ definition: Plain }), mediatorDefaults).queue).toBe('from-mediator');
    expect(buildEnvelope(plan(), mediatorDefaults).queue).toBe('critical');
    expect(buildEnvelope(plan({ options: { queue: 'from-call' } }), mediatorDefaults).queue).toBe(
      'from-call',
    );
  });

  it('takes the description from the call, then the definition, then the name', () => {
    const Described = defineCommand({ ...Plain, name: 'Described', description: 'from definition' });
    expect(buildEnvelope(plan({ definition: Described }), resolved()).description).toBe('from definition');
    const call = buildEnvelope(
      plan({ definition: Described, options: { description: 'from call' } }),
      resolved(),
    );
    expect(call.description).toBe('from call');
    expect(call.envelope.description).toBe('from call');
  });

  it('takes heartbeatTimeout from the call, then the definition, then the mediator defaults; absent by default', () => {
    const Cpu = defineCommand({ ...Plain, name: 'Cpu', heartbeatTimeout: '1m' });
    const hb = (p: JobPlan, r = resolved()) => buildEnvelope(p, r).envelope.activity?.heartbeatTimeoutMs;
    expect(hb(plan({ definition: Plain }))).toBeUndefined();
    expect(hb(plan({ definition: Plain }), resolved({ defaults: { heartbeatTimeout: '20s' } }))).toBe(20_000);
    expect(hb(plan({ definition: Cpu }), resolved({ defaults: { heartbeatTimeout: '20s' } }))).toBe(60_000);
    expect(hb(plan({ definition: Cpu, options: { heartbeatTimeout: 30_000 } }))).toBe(30_000);
    expect(() => buildEnvelope(plan({ options: { heartbeatTimeout: 0 } }), resolved())).toThrow(
      InvalidOptionError,
    );
    expect(() => defineCommand({ ...Plain, name: 'Bad', heartbeatTimeout: 'soon' as Duration })).toThrow(
      /heartbeatTimeout/,
    );
  });

  it('takes the timeout from the call, then the definition, then the mediator defaults, in ms', () => {
    const defaults = resolved({ defaults: { timeout: '2m' } });
    expect(buildEnvelope(plan({ definition: Plain }), defaults).envelope.activity?.timeoutMs).toBe(120_000);
    expect(buildEnvelope(plan(), defaults).envelope.activity?.timeoutMs).toBe(30_000);
    expect(buildEnvelope(plan({ options: { timeout: 250 } }), defaults).envelope.activity?.timeoutMs).toBe(
      250,
    );
    expect(buildEnvelope(plan({ options: { timeout: '1.5s' } }), defaults).envelope.activity?.timeoutMs).toBe(
      1_500,
    );
  });

  it('merges the retry policy field by field: call over definition over mediator defaults', () => {
    const defaults = resolved({
      defaults: { retry: { maximumAttempts: 10, initialInterval: '2s', maximumInterval: '1m' } },
    });
    const { envelope } = buildEnvelope(
      plan({ options: { retry: { backoffCoefficient: 3, nonRetryableErrorTypes: ['Fatal'] } } }),
      defaults,
    );
    expect(envelope.activity?.retry).toEqual({
      maximumAttempts: 3, // definition over mediator
      initialIntervalMs: 1_000, // definition '1s' over mediator '2s'
      backoffCoefficient: 3, // call over definition
      maximumIntervalMs: 60_000, // mediator only
      nonRetryableErrorTypes: ['Fatal'],
    });
  });

  it('sets activity.local for the fast lane, from the call or the definition', () => {
    expect(buildEnvelope(plan({ options: { fastLane: true } }), resolved()).envelope.activity?.local).toBe(
      true,
    );
    const Fast = defineCommand({ ...Plain, name: 'Fast', fastLane: true });
    expect(buildEnvelope(plan({ definition: Fast }), resolved()).envelope.activity?.local).toBe(true);
    const off = buildEnvelope(plan({ definition: Fast, options: { fastLane: false } }), resolved());
    expect(off.envelope.activity?.local).toBeUndefined();
  });

  it('refuses invalid call options, naming the option and the request', () => {
    const err = thrownBy(() =>
      buildEnvelope(plan({ options: { timeout: '3 parsecs' as Duration } }), resolved()),
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('timeout');
    expect((err as Error).message).toContain('CreateUser');
    const retry = thrownBy(() =>
      buildEnvelope(plan({ options: { retry: { maximumAttempts: 1.5 } } }), resolved()),
    );
    expect((retry as InvalidOptionError).option).toBe('retry.maximumAttempts');
  });
});

describe('checkPayload', () => {
  const envelopeOf = (payload: unknown): Envelope => ({
    v: 1,
    request: 'CreateUser',
    kind: 'command',
    input: payload,
  });

  it('accepts a payload under the limit', () => {
    expect(() => checkPayload(envelopeOf({ a: 'x'.repeat(100) }), 1_000)).not.toThrow();
  });

  it('refuses a payload that is not serialisable (BigInt)', () => {
    const err = thrownBy(() => checkPayload(envelopeOf({ n: 10n }), 1_000));
    expect(err).toBeInstanceOf(PayloadError);
    const payload = err as PayloadError;
    expect(payload.code).toBe('PAYLOAD');
    expect(payload.request).toBe('CreateUser');
    expect(payload.message).toMatch(/^CreateUser: input is not serialisable to JSON: .*BigInt/);
    expect(payload.cause).toBeInstanceOf(TypeError);
  });

  it('refuses a circular payload', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => checkPayload(envelopeOf(circular), 1_000)).toThrow(PayloadError);
  });

  it('refuses an oversized payload with its size and the limit', () => {
    const envelope = envelopeOf({ blob: 'x'.repeat(2_000) });
    const size = Buffer.byteLength(JSON.stringify(envelope));
    const err = thrownBy(() => checkPayload(envelope, 1_000));
    expect(err).toBeInstanceOf(PayloadError);
    const payload = err as PayloadError;
    expect(payload.size).toBe(size);
    expect(payload.limit).toBe(1_000);
    expect(payload.message).toContain(`payload is ${size} bytes, over the 1000-byte limit (maxPayloadBytes)`);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const envelope = envelopeOf({ text: 'é'.repeat(600) }); // ~660 characters, ~1260 bytes
    expect(JSON.stringify(envelope).length).toBeLessThan(1_000);
    const err = thrownBy(() => checkPayload(envelope, 1_000)) as PayloadError;
    expect(err.size).toBe(Buffer.byteLength(JSON.stringify(envelope)));
    expect(err.size).toBeGreaterThan(1_000);
  });
});

/**
 * A stand-in for Temporal's `Client`, only to capture what the mediator asks it to start: this tests
 * envelope building and option handling, not Temporal.
 */
function fakeClient(start: (...args: unknown[]) => Promise<unknown> = () => Promise.resolve({})) {
  const startSpy = vi.fn(start);
  const result = vi.fn(() => Promise.resolve({ userId: 'from-job' }));
  // A chosen job id is checked to belong to the same request.
  const describe = vi.fn(() =>
    Promise.resolve({ type: EXECUTE_REQUEST_WORKFLOW, typedSearchAttributes: { get: () => 'CreateUser' } }),
  );
  const client = {
    options: { namespace: 'test-ns' },
    connection: { options: { address: 'temporal.test:7233' } },
    workflow: { start: startSpy, getHandle: vi.fn(() => ({ result, describe })) },
  } as unknown as Client;
  const startOptions = (call = 0) =>
    startSpy.mock.calls[call]?.[1] as Record<string, unknown> & { args: [Envelope] };
  return { client, start: startSpy, result, startOptions };
}

describe('background dispatch with a stub client', () => {
  it('starts executeRequest on the request queue with the envelope and the search attribute', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({ client: fake.client, logger: silentLogger });
    const job = await mediator.enqueue(CreateUser, input, {
      description: 'Create Ada',
      metadata: { a: 'b' },
    });
    expect(fake.start).toHaveBeenCalledTimes(1);
    expect(fake.start.mock.calls[0]?.[0]).toBe(EXECUTE_REQUEST_WORKFLOW);
    const options = fake.startOptions();
    expect(options.taskQueue).toBe('critical');
    expect(options.workflowId).toMatch(
      /^CreateUser-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(options.staticSummary).toBe('Create Ada');
    expect(options.workflowIdConflictPolicy).toBe('USE_EXISTING');
    expect(options.typedSearchAttributes).toEqual([
      { key: expect.objectContaining({ name: 'MediatorRequest' }) as unknown, value: 'CreateUser' },
    ]);
    expect(options.args[0]).toMatchObject({ v: 1, request: 'CreateUser', input, metadata: { a: 'b' } });
    expect(job.id).toBe(options.workflowId);
    expect(job.request).toBe('CreateUser');
  });

  it('validates the input at the caller: nothing is started', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({ client: fake.client, logger: silentLogger });
    await expect(mediator.enqueue(CreateUser, { email: 'nope', name: 'A' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(fake.start).not.toHaveBeenCalled();
  });

  it('a dispatch behavior sees mode enqueue and can set the jobId', async () => {
    const fake = fakeClient();
    const seen: Pick<DispatchContext, 'mode' | 'kind' | 'request'>[] = [];
    const deriveJobId: DispatchBehavior = async (ctx, next) => {
      seen.push({ mode: ctx.mode, kind: ctx.kind, request: ctx.request });
      ctx.options.jobId = `user-${(ctx.input as { email: string }).email}`;
      ctx.metadata.tenant = 'acme';
      return next();
    };
    const mediator = await createMediator({
      client: fake.client,
      behaviors: [deriveJobId],
      logger: silentLogger,
    });
    const job = await mediator.enqueue(CreateUser, input);
    expect(seen).toEqual([{ mode: 'enqueue', kind: 'command', request: 'CreateUser' }]);
    expect(fake.startOptions().workflowId).toBe('user-ada@example.com');
    expect(fake.startOptions().args[0].metadata).toEqual({ tenant: 'acme' });
    expect(job.id).toBe('user-ada@example.com');
  });

  it('a dispatch behavior sees mode enqueueAsync, and the typed result comes from the job', async () => {
    const fake = fakeClient();
    const modes: string[] = [];
    const mediator = await createMediator({
      client: fake.client,
      logger: silentLogger,
      behaviors: [
        async (ctx, next) => {
          modes.push(ctx.mode);
          return next();
        },
      ],
    });
    await expect(mediator.enqueueAsync(CreateUser, input, { jobId: 'fixed' })).resolves.toEqual({
      userId: 'from-job',
    });
    expect(modes).toEqual(['enqueueAsync']);
    expect(fake.startOptions().workflowId).toBe('fixed');
  });

  it('a dispatch behavior can short-circuit an enqueue: nothing is started', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({
      client: fake.client,
      logger: silentLogger,
      behaviors: [() => Promise.resolve({ id: 'deduplicated' })],
    });
    await expect(mediator.enqueue(CreateUser, input)).resolves.toEqual({ id: 'deduplicated' });
    expect(fake.start).not.toHaveBeenCalled();
  });

  it('uses the mediator defaults and call options, and converts the delay to ms', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({
      client: fake.client,
      logger: silentLogger,
      defaults: { queue: 'low', jobTimeout: '1h' },
    });
    await mediator.schedule(Plain, {}, { delay: '90s', priority: 1 });
    const options = fake.startOptions();
    expect(options.taskQueue).toBe('low');
    expect(options.startDelay).toBe(90_000);
    expect(options.workflowExecutionTimeout).toBe(3_600_000);
    expect(options.priority).toEqual({ priorityKey: 1 });
  });

  it('refuses an oversized or unserialisable payload before starting anything', async () => {
    const fake = fakeClient();
    const Big = defineCommand({ name: 'Big', input: z.object({ n: z.bigint() }), output: z.null() });
    const mediator = await createMediator({
      client: fake.client,
      logger: silentLogger,
      maxPayloadBytes: 500,
    });
    await expect(mediator.enqueue(Big, { n: 1n })).rejects.toBeInstanceOf(PayloadError);
    const err = (await rejectionOf(
      mediator.enqueue(CreateUser, { email: 'a@b.co', name: 'x'.repeat(600) }),
    )) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.limit).toBe(500);
    expect(err.size).toBeGreaterThan(600);
    expect(fake.start).not.toHaveBeenCalled();
  });

  it('refuses an invalid priority or both delay and at', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({ client: fake.client, logger: silentLogger });
    const priority = await rejectionOf(mediator.enqueue(Plain, {}, { priority: 9 }));
    expect((priority as InvalidOptionError).option).toBe('priority');
    const both = await rejectionOf(
      mediator.schedule(Plain, {}, { delay: '1s', at: new Date() } as unknown as ScheduleOptions),
    );
    expect((both as InvalidOptionError).option).toBe('delay');
    const none = await rejectionOf(mediator.schedule(Plain, {}, {} as ScheduleOptions));
    expect((none as InvalidOptionError).option).toBe('delay');
    expect(fake.start).not.toHaveBeenCalled();
  });

  it('returns the existing job when the id was already used (idempotency)', async () => {
    const fake = fakeClient(() =>
      Promise.reject(
        new WorkflowExecutionAlreadyStartedError('already started', 'same-id', EXECUTE_REQUEST_WORKFLOW),
      ),
    );
    const mediator = await createMediator({ client: fake.client, logger: silentLogger });
    const job = await mediator.enqueue(CreateUser, input, { jobId: 'same-id' });
    expect(job.id).toBe('same-id');
  });

  it('turns a missing search attribute into SearchAttributeMissingError with the command', async () => {
    const fake = fakeClient(() =>
      Promise.reject(new Error('INVALID_ARGUMENT: search attribute MediatorRequest is not defined')),
    );
    const mediator = await createMediator({ client: fake.client, logger: silentLogger });
    const err = await rejectionOf(mediator.enqueue(CreateUser, input));
    expect(err).toBeInstanceOf(SearchAttributeMissingError);
    expect((err as SearchAttributeMissingError).command).toBe(
      'temporal operator search-attribute create --namespace test-ns --address temporal.test:7233 --name MediatorRequest --type Keyword',
    );
  });

  it('omits the search attribute when searchAttributes is false', async () => {
    const fake = fakeClient();
    const mediator = await createMediator({
      client: fake.client,
      logger: silentLogger,
      searchAttributes: false,
    });
    await mediator.enqueue(CreateUser, input);
    expect(fake.startOptions().typedSearchAttributes).toBeUndefined();
  });
});
