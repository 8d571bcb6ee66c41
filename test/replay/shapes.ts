/**
 * Every job shape the `executeRequest` workflow produces, as the recorder runs them. Adding a shape
 * here and running `npm run replay:record` adds its fixture; existing fixtures are never rewritten.
 */
import { z } from 'zod';
import { createHandlers, defineCommand, defineNotification, defineQuery } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { EXECUTE_REQUEST_WORKFLOW } from '../../workflows/constants.js';
import type { ShapeEnv } from './version-shapes.js';
import { registerVersionHandlers, versionShapes } from './version-shapes.js';

/** The one task queue the recorder's worker serves. */
export const SHAPE_QUEUE = 'replay-fixtures';

const Greet = defineCommand({
  name: 'Greet',
  input: z.object({ name: z.string() }),
  output: z.object({ greeting: z.string() }),
  queue: SHAPE_QUEUE,
});
const Lookup = defineQuery({
  name: 'Lookup',
  input: z.object({ id: z.string() }),
  output: z.object({ found: z.boolean() }),
  queue: SHAPE_QUEUE,
});
const Flaky = defineCommand({
  name: 'Flaky',
  input: z.object({ failures: z.number() }),
  output: z.object({ attempts: z.number() }),
  queue: SHAPE_QUEUE,
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});
const Happened = defineNotification({
  name: 'Happened',
  input: z.object({ what: z.string() }),
  queue: SHAPE_QUEUE,
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});
const Report = defineCommand({
  name: 'Report',
  input: z.object({ pages: z.number() }),
  output: z.object({ pages: z.number() }),
  queue: SHAPE_QUEUE,
});
const Slow = defineCommand({
  name: 'Slow',
  input: z.object({ ms: z.number() }),
  output: z.object({}),
  queue: SHAPE_QUEUE,
  retry: { maximumAttempts: 2, initialInterval: '100ms' },
});
const Fast = defineCommand({
  name: 'Fast',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  queue: SHAPE_QUEUE,
  fastLane: true,
  timeout: '10s',
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

const flakyAttempts = new Map<string, number>();
let slowStarted: () => void = () => undefined;

export const shapeHandlers = registerVersionHandlers(createHandlers())
  .handle(Greet, (input) => ({ greeting: `Hello, ${input.name}` }))
  .handle(Lookup, (input) => ({ found: input.id === 'u1' }))
  .handle(Flaky, (input, ctx) => {
    const n = (flakyAttempts.get(ctx.jobId ?? '') ?? 0) + 1;
    flakyAttempts.set(ctx.jobId ?? '', n);
    if (n <= input.failures) throw new Error(`attempt ${n} fails`);
    return { attempts: n };
  })
  .on(Happened, 'audit', () => undefined)
  .on(Happened, 'mailer', (event, ctx) => {
    // Fails once, then succeeds on its retry; always fails for 'bounce'.
    if (ctx.attempt === 1 || event.what === 'bounce') throw new Error('mail server busy');
  })
  .handle(Report, async (input, ctx) => {
    for (let page = 1; page <= input.pages; page++) {
      ctx.log.info(`page ${page} rendered`);
      ctx.progress({ done: page, total: input.pages, message: `page ${page}` });
      await sleep(150);
    }
    return { pages: input.pages };
  })
  .handle(Slow, async (input, ctx) => {
    slowStarted();
    await sleep(input.ms, ctx.signal);
    ctx.signal.throwIfAborted();
    return {};
  })
  .handle(Fast, (input) => ({ n: input.n * 2 }));

/** A shape: runs one job to its end and returns its id. */
export interface Shape {
  name: string;
  run(mediator: Mediator, env: ShapeEnv): Promise<string>;
}

/** Starts `executeRequest` with a hand-made envelope, as another tool (e.g. the CLI) would. */
async function startRaw(m: Mediator, envelope: Record<string, unknown>): Promise<string> {
  const workflowId = `raw-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const handle = await m.client!.workflow.start(EXECUTE_REQUEST_WORKFLOW, {
    taskQueue: SHAPE_QUEUE,
    workflowId,
    args: [envelope],
  });
  await handle.result().catch(() => undefined);
  return workflowId;
}

async function settle(job: { id: string; result(): Promise<unknown> }): Promise<string> {
  await job.result().catch(() => undefined);
  return job.id;
}

export const shapes: Shape[] = [
  { name: 'command', run: async (m) => settle(await m.enqueue(Greet, { name: 'Ada' })) },
  { name: 'query', run: async (m) => settle(await m.enqueue(Lookup, { id: 'u1' })) },
  {
    name: 'command-retried',
    run: async (m) => settle(await m.enqueue(Flaky, { failures: 1 })),
  },
  {
    name: 'command-failed',
    run: async (m) => settle(await m.enqueue(Flaky, { failures: 5 })),
  },
  {
    name: 'notification-fanout-retried',
    run: async (m) => settle(await m.enqueuePublish(Happened, { what: 'signup' })),
  },
  {
    name: 'notification-handler-failed',
    run: async (m) => settle(await m.enqueuePublish(Happened, { what: 'bounce' })),
  },
  {
    name: 'worker-validation-failed',
    run: (m) => startRaw(m, { v: 1, request: 'Greet', kind: 'command', input: { name: 42 } }),
  },
  {
    name: 'envelope-unsupported-version',
    run: (m) => startRaw(m, { v: 2, request: 'Greet', kind: 'command', input: { name: 'x' } }),
  },
  { name: 'console-progress', run: async (m) => settle(await m.enqueue(Report, { pages: 4 })) },
  {
    name: 'cancelled',
    run: async (m) => {
      const started = new Promise<void>((r) => (slowStarted = r));
      const job = await m.enqueue(Slow, { ms: 60_000 });
      await started;
      await job.cancel();
      return settle(job);
    },
  },
  {
    name: 'attempt-timeout',
    run: async (m) => settle(await m.enqueue(Slow, { ms: 5_000 }, { timeout: '1s' })),
  },
  {
    name: 'job-timeout',
    run: async (m) => settle(await m.enqueue(Slow, { ms: 10_000 }, { jobTimeout: '2s' })),
  },
  { name: 'fast-lane', run: async (m) => settle(await m.enqueue(Fast, { n: 21 })) },
  {
    name: 'delayed-start',
    run: async (m) => settle(await m.schedule(Greet, { name: 'Later' }, { delay: '1s' })),
  },
  {
    name: 'schedule-started',
    run: async (m) => {
      const id = `replay-${Date.now()}`;
      const handle = await m.addOrUpdate(id, Greet, { name: 'Cron' }, { cron: '0 0 1 1 *' });
      await handle.trigger();
      for (;;) {
        const run = (await handle.describe()).recentRuns[0];
        if (run) {
          await settle(m.job(run.jobId));
          await handle.remove();
          return run.jobId;
        }
        await sleep(200);
      }
    },
  },
  ...versionShapes(SHAPE_QUEUE),
];
