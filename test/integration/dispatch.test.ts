import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { Echo, Flaky } from './fixtures/contracts.js';
import { address, testMediator, testWorker, uniqueQueue } from './helpers.js';

const run = promisify(execFile);
const queue = uniqueQueue('dispatch');
const flakyCalls: { attempt: number; at: number }[] = [];
let echoCalls = 0;

const handlers = createHandlers()
  .handle(Echo, async (input, ctx) => {
    echoCalls++;
    await new Promise((r) => setTimeout(r, 300));
    return { text: input.text, attempt: ctx.attempt ?? 0 };
  })
  .handle(Flaky, (input, ctx) => {
    flakyCalls.push({ attempt: ctx.attempt ?? 0, at: Date.now() });
    if ((ctx.attempt ?? 0) <= input.failTimes) throw new Error(`transient failure #${ctx.attempt}`);
    return { attempts: ctx.attempt ?? 0 };
  });

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, { queues: [queue] });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue } });
});

afterAll(async () => {
  await mediator.close();
  worker.shutdown();
  await running;
});

describe('durable dispatch', () => {
  it('enqueue returns once accepted; another process reads the result by job id', async () => {
    const job = await mediator.enqueue(Echo, { text: 'hello' }, { description: 'Echo hello' });
    expect(job.id).toMatch(/^Echo-/);
    const script = fileURLToPath(new URL('./fixtures/job-result.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, address(), job.id], {
      timeout: 60_000,
    });
    const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      result: unknown;
      pid: number;
    };
    expect(line.ok).toBe(true);
    expect(line.pid).not.toBe(process.pid);
    expect(line.result).toEqual({ text: 'hello', attempt: 1 });
  });

  it('shows the job in the Web UI by request name (search attribute) and description (summary)', async () => {
    const job = await mediator.enqueue(Echo, { text: 'ui' }, { description: 'Echo for the UI' });
    await job.result();
    const d = await job.describe();
    expect(d.request).toBe('Echo');
    expect(d.description).toBe('Echo for the UI');
    expect(d.status).toBe('completed');
    expect(d.queue).toBe(queue);
    const handle = mediator.client!.workflow.getHandle(job.id);
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('Echo');
  });

  it('retries a failing handler with exponential backoff, then returns its result', async () => {
    flakyCalls.length = 0;
    const out = await mediator.enqueueAsync(Flaky, { failTimes: 2 });
    expect(out.attempts).toBe(3);
    expect(flakyCalls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const [a, b, c] = flakyCalls.map((x) => x.at) as [number, number, number];
    // initialInterval 1s, coefficient 2: about 1 s then 2 s between attempts (more under load).
    expect(b - a).toBeGreaterThanOrEqual(900);
    expect(c - b).toBeGreaterThanOrEqual(1800);
  });

  it('per-call retry overrides the request default', async () => {
    flakyCalls.length = 0;
    const err = await mediator
      .enqueueAsync(Flaky, { failTimes: 5 }, { retry: { maximumAttempts: 2, initialInterval: '50ms' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'HandlerFailedError',
      code: 'HANDLER_FAILED',
      request: 'Flaky',
      attempt: 2,
      type: 'Error',
    });
    expect((err as Error).message).toContain('transient failure #2');
    expect(flakyCalls).toHaveLength(2);
  });

  it('the same jobId runs the handler once and every caller gets the same result', async () => {
    const jobId = `Echo-idem-${Date.now()}`;
    const before = echoCalls;
    const [a, b] = await Promise.all([
      mediator.enqueueAsync(Echo, { text: 'once' }, { jobId }),
      mediator.enqueueAsync(Echo, { text: 'once' }, { jobId }),
    ]);
    expect(a).toEqual(b);
    // After completion, the same id still returns the first job's result and runs nothing.
    const c = await mediator.enqueueAsync(Echo, { text: 'different input' }, { jobId });
    expect(c).toEqual(a);
    expect(echoCalls - before).toBe(1);
  });

  it('job(def, id) gives a typed handle with status and describe', async () => {
    const job = await mediator.enqueue(Echo, { text: 'typed' });
    const again = mediator.job(Echo, job.id);
    const out = await again.result();
    expect(out.text).toBe('typed');
    expect(await again.status()).toBe('completed');
  });
});
