/**
 * Consumer 1: a fresh ESM project, `"module": "NodeNext"`, `strict`, `skipLibCheck: false`, with the
 * highest supported SDK. `tsc` must pass on real use of every entry point, and must reject bad
 * durations and wrong input and result types (each `@ts-expect-error` line fails the build if the
 * line it covers compiles). The compiled program then runs a job on the dev server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, uniqueQueue } from '../integration/helpers.js';
import { SDK_HIGHEST, TSC, createConsumer, strictTsconfig } from './consumer.js';
import type { Consumer } from './consumer.js';

const contracts = `
import { z } from 'zod';
import { defineCommand, defineNotification } from 'temporal-mediator';

export const Greet = defineCommand({
  name: 'ConsumerGreet',
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ greeting: z.string(), at: z.string() }),
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
  timeout: '30s',
});
export const Greeted = defineNotification({ name: 'ConsumerGreeted', input: z.object({ name: z.string() }) });
`;

const app = `
import { createHandlers, createMediator, MediatorError } from 'temporal-mediator';
import type { Duration, JobHandle } from 'temporal-mediator';
import { createWorker } from 'temporal-mediator/worker';
import { createTestHarness } from 'temporal-mediator/testing';
import { Greet, Greeted } from './contracts.js';

const handlers = createHandlers()
  .handle(Greet, async (input, ctx) => {
    ctx.log.info('greeting ' + input.name);
    return { greeting: 'hello ' + input.name, at: new Date(0).toISOString() };
  })
  .on(Greeted, 'audit', async () => undefined);

const queue = process.env.QUEUE ?? 'default';
const connection = { address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' };
const grace: Duration = '2s';
const worker = await createWorker({ connection, handlers, queues: [queue], shutdownGraceTime: grace });
const mediator = await createMediator({ connection, handlers });
const harness = createTestHarness({ handlers });
void harness;
const out = await worker.runUntil(async () => {
  const job: JobHandle<{ greeting: string; at: string }> = await mediator.enqueue(Greet, { name: 'ada' }, { queue });
  const result: { greeting: string } = await job.result();
  const local = await mediator.send(Greet, { name: 'local' });
  return { result, local, status: await job.status() };
});
try {
  await mediator.enqueue(Greet, { name: '' }, { queue });
} catch (err) {
  if (!(err instanceof MediatorError)) throw err;
  console.log(JSON.stringify({ ...out, rejected: err.code }));
}
await mediator.close();
`;

const mistakes = `
import { createMediator } from 'temporal-mediator';
import type { Duration } from 'temporal-mediator';
import { z } from 'zod';
import { defineCommand } from 'temporal-mediator';
import { Greet } from './contracts.js';

// @ts-expect-error an object is no duration
export const d: Duration = { foo: 1 };
// @ts-expect-error a misspelled unit
export const t: Duration = '5 minutez';
// @ts-expect-error a misspelled unit in a definition
defineCommand({ name: 'X', input: z.object({}), output: z.void(), timeout: '5 minutez' });

export async function wrong(): Promise<void> {
  const mediator = await createMediator();
  // @ts-expect-error wrong input type
  await mediator.enqueueAsync(Greet, { name: 42 });
  // @ts-expect-error missing input field
  await mediator.send(Greet, {});
  // @ts-expect-error wrong result type
  const n: number = await mediator.enqueueAsync(Greet, { name: 'x' });
  // @ts-expect-error wrong result field
  const g: number = (await mediator.send(Greet, { name: 'x' })).greeting;
  // @ts-expect-error bad per-call duration
  await mediator.enqueue(Greet, { name: 'x' }, { timeout: '30 secs please' });
  void n;
  void g;
}
`;

describe('consumer: ESM, NodeNext, strict, skipLibCheck false', () => {
  let project: Consumer;

  beforeAll(async () => {
    project = await createConsumer({
      name: 'typed-esm',
      packageJson: { type: 'module' },
      files: {
        'tsconfig.json': strictTsconfig(['src']),
        'src/contracts.ts': contracts,
        'src/app.ts': app,
        'src/mistakes.ts': mistakes,
      },
      install: [
        `@temporalio/client@${SDK_HIGHEST}`,
        `@temporalio/worker@${SDK_HIGHEST}`,
        `@temporalio/workflow@${SDK_HIGHEST}`,
        `@temporalio/activity@${SDK_HIGHEST}`,
        'zod@4',
        // The SDK's own declarations import `ms`, whose types NodeNext cannot find (the SDK forces this).
        '@types/ms',
      ],
    });
  }, 300_000);

  afterAll(() => project?.remove());

  it('type-checks real use and rejects bad durations, inputs and results', async () => {
    const out = await project
      .run(process.execPath, [TSC, '-p', 'tsconfig.json'])
      .catch((e: Error) => e.message);
    expect(out).toBe('');
  }, 120_000);

  it('runs a job with the compiled program on the dev server', async () => {
    const out = await project.node('dist/app.js', { TEMPORAL_ADDRESS: address(), QUEUE: uniqueQueue('esm') });
    const last = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(last).toEqual({
      result: { greeting: 'hello ada', at: new Date(0).toISOString() },
      local: { greeting: 'hello local', at: new Date(0).toISOString() },
      status: 'completed',
      rejected: 'REQUEST_VALIDATION',
    });
  }, 180_000);
});
