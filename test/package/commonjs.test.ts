/**
 * Consumer 4: a CommonJS project, `require('temporal-mediator')`. The package is ESM only; Node loads
 * it through `require(esm)` (on by default since Node 20.19 and 22.12), so there is no dual build and
 * no second copy of any module (a dual build would give CommonJS and ESM callers two registries and
 * two sets of error classes, and `instanceof` across them would fail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { address, testWorker, uniqueQueue } from '../integration/helpers.js';
import { SDK_HIGHEST, createConsumer } from './consumer.js';
import type { Consumer } from './consumer.js';

const Ping = defineCommand({
  name: 'CjsPing',
  input: z.object({ n: z.number() }),
  output: z.object({ pong: z.number() }),
});

const main = `
const { z } = require('zod');
const { createMediator, defineCommand, RequestValidationError } = require('temporal-mediator');

const Ping = defineCommand({ name: 'CjsPing', input: z.object({ n: z.number() }), output: z.object({ pong: z.number() }) });

(async () => {
  const mediator = await createMediator({ connection: { address: process.env.TEMPORAL_ADDRESS } });
  const result = await mediator.enqueueAsync(Ping, { n: 41 }, { queue: process.env.QUEUE });
  let invalid;
  try { await mediator.enqueue(Ping, { n: 'x' }, { queue: process.env.QUEUE }); } catch (e) { invalid = e instanceof RequestValidationError; }
  await mediator.close();
  console.log(JSON.stringify({ result, invalid }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

describe.skipIf(!requireEsm)('consumer: CommonJS require() (Node >= 20.19 / 22.12)', () => {
  let project: Consumer;
  let worker: MediatorWorker | undefined;
  const queue = uniqueQueue('cjs');

  beforeAll(async () => {
    project = await createConsumer({
      name: 'commonjs',
      packageJson: { type: 'commonjs' },
      files: { 'main.cjs': main },
      install: [`@temporalio/client@${SDK_HIGHEST}`, 'zod@4'],
    });
    worker = await testWorker(
      createHandlers().handle(Ping, ({ n }) => ({ pong: n + 1 })),
      { queues: [queue] },
    );
    void worker.run();
  }, 300_000);

  afterAll(() => {
    worker?.shutdown();
    project?.remove();
  });

  it('requires the package and runs a job', async () => {
    const out = await project.node('main.cjs', { TEMPORAL_ADDRESS: address(), QUEUE: queue });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toEqual({ result: { pong: 42 }, invalid: true });
  }, 120_000);
});
